// pull-secret-not-allowed: a ServiceAccount with kubernetes.io/enforce-mountable-secrets only lets
// its pods list the pull secrets it references itself.
import { ruleTester, yaml } from './tester.js'

/** ServiceAccount locked in namespace app, with the annotation's value and its own list. */
function serviceAccount(value: string, list: string): string {
  return yaml`
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: locked
      namespace: app
      annotations: {kubernetes.io/enforce-mountable-secrets: ${value}}
    imagePullSecrets: ${list}
  `
}

/** A Pod of ServiceAccount locked with the given imagePullSecrets (line 6). */
function pod(list: string): string {
  return yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: web, namespace: app}
    spec:
      serviceAccountName: locked
      imagePullSecrets: ${list}
      containers: [{name: web, image: ghcr.io/acme/web:1.0}]
  `
}

ruleTester('pull-secret-not-allowed', {
  valid: [
    { name: 'fixture: the ServiceAccount lists the secret, the pod lists none, the annotation is false', files: 'passes.yaml' },
    // enforceMountableSecrets: strconv.ParseBool, an error reads as false.
    { name: 'an annotation value Go does not read as true ("yes") enforces nothing', files: { 'sa.yaml': serviceAccount('"yes"', '[]'), 'pod.yaml': pod('[{name: regcred}]') } },
    { name: 'an empty pod list is the ServiceAccount\'s (admission copies it)', files: { 'sa.yaml': serviceAccount('"true"', '[{name: regcred}]'), 'pod.yaml': pod('[]') } },
    {
      name: 'a ServiceAccount that is not declared (existing-service-accounts): its annotations are unknown',
      files: { 'pod.yaml': pod('[{name: regcred}]') },
      options: { existingServiceAccounts: [{ namespace: 'app', name: 'locked' }] },
    },
  ],
  invalid: [
    {
      name: 'fixture: a Deployment and a Pod list secrets the enforcing ServiceAccount does not',
      files: 'fires.yaml',
      errors: [
        {
          line: 37,
          column: 17,
          endLine: 37,
          endColumn: 26,
          severity: 'error',
          message:
            'Deployment shop/api lists pull secret "ghcr-pull", but its ServiceAccount shop/locked has kubernetes.io/enforce-mountable-secrets: "true" and does not list "ghcr-pull" in its imagePullSecrets, so admission rejects the pods (imagePullSecrets[0].name="ghcr-pull" is not allowed because service account locked does not reference that imagePullSecret); add "ghcr-pull" to the ServiceAccount\'s imagePullSecrets, or drop the pod\'s list to get the ServiceAccount\'s.',
        },
        { line: 50, column: 49, endColumn: 58, message: 'Pod shop/worker lists pull secret "ghcr-pull", but its ServiceAccount shop/locked has kubernetes.io/enforce-mountable-secrets: "true" and does not list "ghcr-pull" in its imagePullSecrets, so admission rejects the pods (imagePullSecrets[1].name="ghcr-pull" is not allowed' },
      ],
    },
    {
      // limitSecretReferences: a ServiceAccount without a list references no pull secret at all.
      name: 'a ServiceAccount that enforces mountable secrets and has no imagePullSecrets refuses every one',
      files: { 'sa.yaml': serviceAccount('"true"', ''), 'pod.yaml': pod('[{name: regcred}]') },
      errors: [{ line: 6, column: 29, endColumn: 36, file: 'pod.yaml', message: 'imagePullSecrets[0].name="regcred" is not allowed because service account locked does not reference that imagePullSecret' }],
    },
    {
      // ParseBool takes 1, t, T, TRUE, true, True; an empty name is a name like any other.
      name: 'the annotation as "1", and an entry with an empty name, which the ServiceAccount does not list either',
      files: { 'sa.yaml': serviceAccount('"1"', '[{name: regcred}]'), 'pod.yaml': pod('[{name: regcred}, {name: ""}]') },
      errors: [{ line: 6, column: 46, endColumn: 48, file: 'pod.yaml', message: 'Pod app/web lists pull secret "", but its ServiceAccount app/locked has kubernetes.io/enforce-mountable-secrets: "1"' }],
    },
    {
      // Admission quotes the first entry it refuses; the others are refused as well.
      name: 'two entries the ServiceAccount does not list: admission quotes the first',
      files: { 'sa.yaml': serviceAccount('"true"', '[]'), 'pod.yaml': pod('[{name: a}, {name: b}]') },
      errors: [
        { line: 6, column: 29, endColumn: 30, file: 'pod.yaml', message: '(imagePullSecrets[0].name="a" is not allowed because service account locked does not reference that imagePullSecret)' },
        { line: 6, column: 40, endColumn: 41, file: 'pod.yaml', message: 'does not list "b" in its imagePullSecrets, so admission refuses it as well; add "b"' },
      ],
    },
  ],
})
