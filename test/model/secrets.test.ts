// The registry keys of an ExternalSecret's `.dockerconfigjson` template, read as the kubelet reads a config.
import { describe, expect, it } from 'vitest'
import { registriesFromTemplate } from '../../src/model/secrets.js'

describe('registriesFromTemplate', () => {
  it.each([
    ['expressions inside strings', '{"auths":{"ghcr.io":{"auth":"{{ .token }}"}}}', ['ghcr.io']],
    ['expressions where a value goes', '{"auths":{"ghcr.io":{"auth":{{ .x | quote }}}, "quay.io": {"auth": {{ .y | quote }}}}}', ['ghcr.io', 'quay.io']],
    ['"Auths" matched in any case, as Go\'s decoder does', '{"Auths":{"ghcr.io":{"auth":"{{ .t }}"}}}', ['ghcr.io']],
    ['only the auths map: HttpHeaders and credHelpers are no registries', '{"auths":{"ghcr.io":{"auth":"{{ .t }}"}},"HttpHeaders":{"a":"b"},"credHelpers":{"x.io":"h"}}', ['ghcr.io']],
  ])('%s', (_name, template, keys) => {
    expect(registriesFromTemplate(template)).toEqual(keys)
  })

  it.each([
    ['a host computed by the template', '{"auths":{"{{ .registry }}":{"auth":"{{ .t }}"}}}'],
    ['no auths', '{"credHelpers":{"x.io":"h"}}'],
    ['expressions in strings and as values together', '{"auths":{"ghcr.io":{"username":"{{ .u }}","password":{{ .p | quote }}}}}'],
  ])('unknown (assumed to cover every image): %s', (_name, template) => {
    expect(registriesFromTemplate(template)).toBeUndefined()
  })
})
