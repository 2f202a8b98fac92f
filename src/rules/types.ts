// The rule contract: self-describing metadata plus a pure check over the resolved graph.
import type { Graph } from '../model/graph.js'
import type { Resource } from '../model/resources.js'
import type { Location, RelatedLocation, RuleMeta, Severity } from '../findings/types.js'
import type { Options } from '../options.js'
import type { PodFact, Resolution } from '../resolve/resolve.js'

export interface RuleContext {
  graph: Graph
  resolution: Resolution
  options: Options
}

/** What a rule reports; analyze() turns it into a Finding (severity, fingerprint, suppression). */
export interface Problem {
  message: string
  fix: string
  location: Location
  /** The object the location lies in (its annotations can suppress the finding). */
  resource?: Resource
  /** The workload the finding is about, when it is not `resource`. */
  workload?: Resource
  /** Overrides the rule's default severity (e.g. a missing secret that does not break the pull). */
  severity?: Severity
  related?: RelatedLocation[]
  container?: string
  image?: string
  /** The pod specs the problem is about (for the pull-path graph). */
  pods?: PodFact[]
  /** Identity for the fingerprint: what is blamed, independent of line numbers. */
  key: string
}

export interface Rule {
  meta: RuleMeta & {
    /** A short example for docs/rules.md (YAML). */
    example: string
  }
  check(ctx: RuleContext): Iterable<Problem>
}
