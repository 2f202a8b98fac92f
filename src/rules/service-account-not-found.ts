// service-account-not-found: the pod names a ServiceAccount that is not declared; admission rejects the pod.
import { describe, locationAt } from '../model/resources.js'
import type { Rule } from './types.js'
import { createdAfter, earlyHook, goneFor } from './util.js'

export const serviceAccountNotFound: Rule = {
  meta: {
    id: 'service-account-not-found',
    severity: 'error',
    description: 'A non-default ServiceAccount is named but not declared in the pod\'s namespace.',
    rationale:
      'The ServiceAccount admission plugin rejects a pod whose ServiceAccount does not exist (403: error looking up service account). A controller keeps failing to create its pods; nothing runs, and no pull secret of that ServiceAccount applies.',
    remediation: 'Declare the ServiceAccount in the same namespace, fix the name, or list it in existing-service-accounts when it is created outside these manifests.',
    example: `spec:
  template:
    spec:
      serviceAccountName: app-sa   # no ServiceAccount app-sa in this namespace`,
  },
  *check({ resolution, graph }) {
    for (const pod of resolution.pods) {
      // A hook that runs before its chart's objects exist: a ServiceAccount among them is not there yet on the first install.
      const hook = pod.sa?.origin === 'manifest' && pod.saName !== 'default' && pod.saPath ? earlyHook(pod.pod.resource) : undefined
      if (hook && pod.sa?.resource && createdAfter(pod.pod.resource, hook, pod.sa.resource)) {
        const r = pod.pod.resource
        const sa = `ServiceAccount ${pod.sa.namespace}/${pod.sa.name}`
        yield {
          message: `${describe(r)} is ${hook.what} and names ${sa}, which is not one (or one of a higher weight), so ${hook.by} creates it only after the hook has run: on the first install the API server rejects the hook's pods (the ServiceAccount does not exist yet), and the install fails; make ${sa} ${hook.fix}.`,
          fix: `Make ${sa} ${hook.fix}.`,
          location: locationAt(r, pod.saPath!),
          resource: r,
          related: [{ message: `${sa} is created after the hook`, location: locationAt(pod.sa.resource, ['metadata', 'name']) }],
          pods: [pod],
          key: 'serviceAccountName/hook',
        }
        continue
      }
      // A hook deleted once its hooks succeed is gone before the release's pods (or a later event's) are made.
      const deleted = pod.sa?.origin === 'manifest' && pod.saName !== 'default' && pod.saPath && pod.sa.resource ? goneFor(pod.pod.resource, pod.sa.resource) : undefined
      if (deleted && pod.sa?.resource) {
        const r = pod.pod.resource
        const sa = `ServiceAccount ${pod.sa.namespace}/${pod.sa.name}`
        const fix = `drop ${deleted.policy} from ${sa}'s ${deleted.annotation} (or make it no hook: no ${deleted.hookAnnotation})`
        yield {
          message:
            `${describe(r)} names ${sa}, ${deleted.by === 'Helm' ? 'a Helm' : 'an Argo CD'} hook that ${deleted.by} deletes ${deleted.when} (${deleted.annotation}: ${deleted.value}), ` +
            (deleted.by === 'Helm'
              ? `and ${describe(r)} is no hook of its events: the API server rejects its pods (the ServiceAccount no longer exists); ${fix}.`
              : `and ${describe(r)} is no hook: after the sync the API server rejects its new pods (the ServiceAccount no longer exists); ${fix}.`),
          fix: `${fix[0].toUpperCase()}${fix.slice(1)}.`,
          location: locationAt(r, pod.saPath!),
          resource: r,
          related: [{ message: `${sa} is deleted ${deleted.when}`, location: locationAt(pod.sa.resource, ['metadata', 'name']) }],
          pods: [pod],
          key: 'serviceAccountName/deleted',
        }
        continue
      }
      if (pod.sa || pod.saName === 'default' || !pod.saPath) continue
      const r = pod.pod.resource
      const ns = pod.pod.namespace
      const refused = graph.refusedServiceAccount(ns, pod.saName)
      if (refused) {
        yield {
          message: `${describe(r)} names ServiceAccount ${pod.saName}, declared in namespace ${ns}, but ${refused.rejected.detail}, and admission rejects the pods of a ServiceAccount that does not exist; correct that field.`,
          fix: `Correct ServiceAccount ${ns}/${pod.saName} so that the API server accepts it.`,
          location: locationAt(r, pod.saPath),
          resource: r,
          related: [{ message: `ServiceAccount ${ns}/${pod.saName}`, location: locationAt(refused.resource, refused.rejected.path) }],
          pods: [pod],
          key: 'serviceAccountName',
        }
        continue
      }
      const elsewhere = graph.serviceAccountsNamed(pod.saName).filter((s) => s.namespace !== ns && !s.rejected)
      const hint = elsewhere.length ? ` (one exists in namespace ${elsewhere.map((s) => s.namespace).join(', ')}, but a pod can only use its own namespace's)` : ''
      yield {
        message: `${describe(r)} names ServiceAccount ${pod.saName}, which is not declared in namespace ${ns}${hint}; the API server rejects its pods, so declare ServiceAccount ${ns}/${pod.saName} or list it in existing-service-accounts.`,
        fix: `Declare ServiceAccount ${pod.saName} in namespace ${ns}.`,
        location: locationAt(r, pod.saPath),
        resource: r,
        related: elsewhere.filter((s) => s.resource).map((s) => ({ message: `ServiceAccount ${s.namespace}/${s.name}`, location: locationAt(s.resource!, ['metadata', 'name']) })),
        pods: [pod],
        key: 'serviceAccountName',
      }
    }
  },
}
