// The rule registry: every rule pullcheck runs, in a stable order.
import type { Rule } from './types.js'
import { authOnlyRegistry } from './auth-only-registry.js'
import { credentialsInRepo } from './credentials-in-repo.js'
import { invalidImageReference } from './invalid-image-reference.js'
import { noPullSecret } from './no-pull-secret.js'
import { passwordNotToken } from './password-not-token.js'
import { pullSecretEmptyName } from './pull-secret-empty-name.js'
import { pullSecretInOtherNamespace } from './pull-secret-in-other-namespace.js'
import { pullSecretMalformed } from './pull-secret-malformed.js'
import { pullSecretNotAllowed } from './pull-secret-not-allowed.js'
import { pullSecretNotFound } from './pull-secret-not-found.js'
import { pullSecretRefExtraField } from './pull-secret-ref-extra-field.js'
import { pullSecretWrongType } from './pull-secret-wrong-type.js'
import { registryNotCovered } from './registry-not-covered.js'
import { saPullSecretsShadowed } from './sa-pull-secrets-shadowed.js'
import { serviceAccountNotFound } from './service-account-not-found.js'
import { unrenderedTemplate } from './unrendered-template.js'
import { unusedPullSecret } from './unused-pull-secret.js'
import { yamlSyntaxError } from './yaml-syntax-error.js'

export const RULES: readonly Rule[] = [
  noPullSecret,
  pullSecretNotFound,
  pullSecretInOtherNamespace,
  pullSecretWrongType,
  pullSecretMalformed,
  registryNotCovered,
  serviceAccountNotFound,
  pullSecretNotAllowed,
  saPullSecretsShadowed,
  pullSecretEmptyName,
  pullSecretRefExtraField,
  invalidImageReference,
  authOnlyRegistry,
  credentialsInRepo,
  passwordNotToken,
  unusedPullSecret,
  yamlSyntaxError,
  unrenderedTemplate,
]

/**
 * Rules beyond SPEC §6's table, each for a failure SEMANTICS.md states and no rule of the table
 * covers (proposed for the table; ids as stable as the others).
 */
export const EXTENSION_RULE_IDS = ['pull-secret-not-allowed'] as const

/** Rules of SPEC §6 that only the registry probe (not built yet) can fire. */
export const PROBE_RULE_IDS = ['image-not-found', 'registry-unauthorized', 'registry-unreachable'] as const

export const RULE_IDS: readonly string[] = RULES.map((r) => r.meta.id)

/** The rule ids the config file's `rules:` may name: every rule, and the probe's (stable ids, SPEC §6). */
export const CONFIGURABLE_RULE_IDS: readonly string[] = [...RULE_IDS, ...PROBE_RULE_IDS]

/** Settings of rules that cannot fire yet, said rather than ignored (`off` agrees with them). */
export function inactiveRuleWarnings(rules: Readonly<Record<string, string>>): string[] {
  return PROBE_RULE_IDS.filter((id) => rules[id] !== undefined && rules[id] !== 'off').map(
    (id) => `rules.${id} is set to ${rules[id]}, but the registry probe that reports ${id} is not built yet in this version: the setting has no effect.`,
  )
}

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id)
}
