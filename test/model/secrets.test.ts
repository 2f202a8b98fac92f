// The registry keys of an ExternalSecret's `.dockerconfigjson` template, read as the kubelet reads a config.
import { describe, expect, it } from 'vitest'
import { labelSelector, registriesFromTemplate } from '../../src/model/secrets.js'

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

// labels.Parse and Requirement.Matches (k8s.io/apimachinery/pkg/labels/selector.go), as
// kubernetes-replicator reads its replicate-to-matching annotation.
describe('labelSelector', () => {
  const labels = { team: 'payments', tier: 'backend', empty: '', size: '7', 'kubernetes.io/metadata.name': 'app' }
  it.each([
    ['', true],
    ['  ', true],
    ['team', true],
    ['!team', false],
    ['!legacy', true],
    ['team=payments', true],
    ['team==payments', true],
    ['team = payments', true],
    ['team!=payments', false],
    ['legacy!=yes', true],
    ['team=ops', false],
    ['empty=', true],
    ['empty', true],
    ['team in (payments,ops)', true],
    ['team in (ops)', false],
    ['legacy in (yes)', false],
    ['team notin (ops, web)', true],
    ['legacy notin (yes)', true],
    ['team notin (payments)', false],
    ['empty in ()', true],
    ['team in (in,payments)', true],
    ['size>5', true],
    ['size<5', false],
    ['team>5', false],
    ['legacy<5', false],
    ['team=payments,tier=backend', true],
    ['team=payments, tier=frontend', false],
    ['kubernetes.io/metadata.name=app', true],
  ])('%j', (selector, expected) => {
    const match = labelSelector(selector)
    expect(match).toBeDefined()
    expect(match!(labels)).toBe(expected)
  })

  it.each([
    ['a trailing comma', 'team=payments,'],
    ['a key that is not a qualified name', 'team_!=x'],
    ['two words for a key', 'bad key!=x'],
    ['a value that is not a label value', 'team=-x'],
    ['a value after !key', '!team=x'],
    ['two values for =', 'team=a b'],
    ['an operator without its key', '=payments'],
    ['a set without parentheses', 'team in payments'],
    ['a set not closed', 'team in (a,b'],
    ['values without a comma', 'team in (a b)'],
    ['> with a word', 'size>big'],
    ['> with a negative number (not a label value)', 'size>-1'],
    ['"in" as a key', 'in=x'],
    ["kubernetes-replicator's own test of an invalid selector", '!!!invalid!!!'],
  ])('refuses %s', (_name, selector) => {
    expect(labelSelector(selector)).toBeUndefined()
  })

  it('cannot tell for a namespace whose labels are unknown, unless it selects everything', () => {
    expect(labelSelector('team=payments')!(undefined)).toBeUndefined()
    expect(labelSelector('')!(undefined)).toBe(true)
  })
})
