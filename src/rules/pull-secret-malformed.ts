// pull-secret-malformed: the secret has the right type but its content is unusable or breaks the keyring.
import { DOCKERCONFIGJSON, KEY_FOR_TYPE } from '../model/secrets.js'
import type { Rule } from './types.js'
import { asSentence, effectiveRefs, imagesAtRisk, locationAt, podImages, podsLabel, producerOf, refHolderLabel, refNamePath, stillPullsWithout } from './util.js'

export const pullSecretMalformed: Rule = {
  meta: {
    id: 'pull-secret-malformed',
    severity: 'error',
    description:
      'A referenced pull secret is malformed: empty or missing key, bad base64 or JSON, no auths wrapper, no credentials, or an auth not base64(user:pass) (a warning when the pod still pulls every image).',
    rationale:
      'The API server rejects bad base64 and bad JSON; a .dockerconfigjson without "auths", or whose entries hold no credentials (a workstation\'s config whose credsStore keeps them in a keychain), yields none the kubelet can use; and an undecodable auth field makes the kubelet\'s keyring fail, so no image of the pod is pulled at all, not even anonymously.',
    remediation:
      'Regenerate the secret with kubectl create secret docker-registry (or --from-file=.dockerconfigjson of a Docker config whose auths hold the credentials themselves, not one whose credsStore keeps them elsewhere).',
    example: `stringData:
  .dockerconfigjson: '{"ghcr.io": {"auth": "…"}}'   # no "auths" wrapper`,
  },
  *check({ resolution }) {
    for (const [ref, pods] of effectiveRefs(resolution.pods)) {
      if (ref.status !== 'malformed' || !ref.chosen || !ref.evaluation || ref.evaluation.usable) continue
      const def = ref.chosen
      const ev = ref.evaluation
      // Otherwise the kubelet skips it: worth saying where the pod has other secrets to pull with.
      const others = pods.some((p) => p.effective.some((r) => r !== ref))
      // A warning, as for pull-secret-not-found, when the pod pulls every image all the same.
      const still = ev.fatal ? undefined : stillPullsWithout(pods)
      const all = ev.fatal ? podImages(pods) : ''
      const effect = ev.fatal
        ? `the kubelet then pulls none of the pod's images${all ? ` (${all})` : ''}, not even anonymously; `
        : still
          ? `the pod still pulls (${still}); `
          : `${others ? "the pod's other secrets are still used, but " : ''}${imagesAtRisk(pods)} pulled without it; `
      const related = def.resource ? [{ message: `${def.label} content`, location: locationAt(def.resource, ev.path ?? ['metadata', 'name']) }] : []
      // A field the API server cannot decode, or an operator's object, is mended in its own terms;
      // a copy that reflector or kubernetes-replicator pushes (all of it the source's), where it is
      // copied from. A copy declared here and filled from elsewhere keeps its own type and
      // placeholder, which its message is about.
      const producer = producerOf(def)
      const it = producer !== def ? `its source ${producer.label}` : 'it'
      const remedy =
        ev.remedy ??
        (producer.origin === 'SealedSecret'
          ? `seal ${it} again from a Secret made with kubectl create secret docker-registry`
          : producer.origin === 'ExternalSecret' || producer.origin === 'ClusterExternalSecret'
            ? `write the docker config under the key ${KEY_FOR_TYPE[def.type] ?? KEY_FOR_TYPE[DOCKERCONFIGJSON]} of ${producer !== def ? `${producer.label}'s` : 'its'} target template's data`
            : producer !== def
              ? `regenerate ${it} with kubectl create secret docker-registry`
              : undefined)
      yield {
        message: `${refHolderLabel(ref)} references pull secret "${ref.name}" (used by ${podsLabel(pods)}), but ${def.label} ${def.notCopied ? 'is never filled' : 'is malformed'}: ${ev.detail}; ${effect}${remedy ?? 'regenerate it with kubectl create secret docker-registry'}.`,
        fix: remedy ? asSentence(remedy) : 'Regenerate the secret with kubectl create secret docker-registry.',
        ...(still ? { severity: 'warning' as const } : {}),
        location: locationAt(ref.holder, refNamePath(ref)),
        resource: ref.holder,
        related,
        pods,
        key: `${ref.entryPath.join('.')}=${ref.name}`,
      }
    }
  },
}
