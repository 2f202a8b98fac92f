// The keys a pull-secret list may be written under, right or wrong (model/misplaced.ts). A module
// of its own, without imports: pruning (source/prune.ts) keeps these keys, and misplaced.ts
// imports resources.ts, which imports the source modules: prune.ts importing misplaced.ts would
// be a cycle, with these constants not yet set when prune.ts is evaluated.

/**
 * Keys that look like `imagePullSecrets` but are not it (another casing, the singular, the name of
 * the field elsewhere). Pruning keeps them where they are looked for (prune.ts).
 */
export const PULL_SECRET_LOOKALIKES: readonly string[] = [
  'imagePullSecret',
  'ImagePullSecrets',
  'ImagePullSecret',
  'imagepullsecrets',
  'imagePullsecrets',
  'image_pull_secrets',
  'pullSecrets',
]

/** The field and its look-alikes: where no pull-secret list belongs, any of them is misplaced. */
export const PULL_SECRET_KEYS: readonly string[] = ['imagePullSecrets', ...PULL_SECRET_LOOKALIKES]
