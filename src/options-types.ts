// Kept for existing imports: the Options type now lives in options.ts beside its table and validation.
export type { ExistingSecret, Options, RuleSetting } from './options.js'
