import { refsMatching, type FacetRow, type SearchRow } from './catalog.repo.js'
import type { SearchQuery } from './catalog.schemas.js'
import type { IndexRows } from './catalog.search.repo.js'

// The catalogue's search index: the published procedures with their folded words, held in
// memory for one catalogue revision (a few megabytes for the national catalogue). Matching,
// ranking, counting per filter value and paging run here in a millisecond or two, where the same
// work in SQL costs several statements' planning and a read of every matching row each time.

export interface IndexedProcedure extends SearchRow {
  agencyRefs: string[]
  /** ' words of the name ', folded; a word is a word of the name when ' word ' is in it. */
  nameFolded: string
  fieldFolded: string
  /** Position in the database's order of codes (ties in ranking). */
  codeRank: number
  /** Levels and subjects each once, for the counts. */
  distinctLevels: string[]
  distinctSubjects: string[]
}

/** A query word and the catalogue words it stands for (itself, or its corrections). */
export interface QueryWord {
  word: string
  terms: string[]
  corrected: boolean
}

export interface ResolvedQuery {
  folded: string
  words: QueryWord[]
  unresolved: string[]
}

type Dim = FacetRow['dim']

export interface SearchOutcome {
  rows: SearchRow[]
  total: number
  facets: FacetRow[]
}

/** A procedure a search keeps, with its sort keys (ascending; a key to sort descending is negated). */
export interface Candidate {
  p: IndexedProcedure
  keys: number[]
}

export class CatalogIndex {
  /** In browsing order: field, name, code. */
  readonly procedures: IndexedProcedure[]
  private readonly position = new Map<string, number>()
  /** For each word, the positions of the procedures whose name, field or documents hold it, ascending. */
  private readonly postings = new Map<string, number[]>()
  private readonly terms: Set<string>
  private readonly fieldRank = new Map<string, number>()
  private readonly refRank: Map<string, number>
  private readonly browsing = new Map<SearchQuery['scope'], Candidate[]>()

  constructor(
    readonly revision: string,
    rows: IndexRows,
    /** Agency names by reference: org's, else as published with the procedures. */
    readonly agencyNames: ReadonlyMap<string, string>,
  ) {
    this.procedures = rows.procedures.map(([code, name, field, levels, subjects, onlineLevel, inProvince, currentVersion, agencyRefs, nameFolded, fieldFolded, allWords, codeRank], i) => {
      this.position.set(code, i)
      if (!this.fieldRank.has(field)) this.fieldRank.set(field, this.fieldRank.size)
      for (const w of allWords.split(' ')) {
        const list = this.postings.get(w)
        if (!list) this.postings.set(w, [i])
        else if (list[list.length - 1] !== i) list.push(i)
      }
      const distinctLevels = [...new Set(levels)]
      const distinctSubjects = [...new Set(subjects)]
      return { code, name, field, levels, subjects, onlineLevel, inProvince, currentVersion, agencyRefs, nameFolded, fieldFolded, codeRank, distinctLevels, distinctSubjects }
    })
    this.terms = new Set(rows.terms)
    this.refRank = new Map(rows.refs.map((r, i) => [r, i]))
  }

  /** Whether the word is in the dictionary of catalogue words (what typo correction draws from). */
  isTerm(word: string): boolean {
    return this.terms.has(word)
  }

  find(code: string): IndexedProcedure | undefined {
    const i = this.position.get(code)
    return i === undefined ? undefined : this.procedures[i]
  }

  /** Per procedure, how many of the words (each itself or one of its corrections) its name, field or documents hold. */
  private wordHits(words: QueryWord[]): Uint8Array {
    const hits = new Uint8Array(this.procedures.length)
    const seen = new Int32Array(this.procedures.length)
    words.forEach((w, i) => {
      for (const t of w.terms) {
        for (const p of this.postings.get(t) ?? []) {
          if (seen[p] === i + 1) continue
          seen[p] = i + 1
          hits[p] = (hits[p] ?? 0) + 1
        }
      }
    })
    return hits
  }

  /**
   * The procedures a text query matches, with their rank keys. A procedure matches when every
   * resolved word is a word of its name, field or document names; relaxed (a second try for a
   * long query with few results), one word may be missing ("xin" in "xin giấy phép xây nhà" is
   * in no permit's name). Rank: more words in the name, then in name or field, then anywhere
   * (name before field before documents); then more words exactly as typed in the name, the
   * similarity of the whole query to the name when a word resolved to nothing, the query as a
   * phrase and the earlier the better, then the shorter name ("khai sinh" → "Thủ tục đăng ký
   * khai sinh" before its longer variants), then the code.
   */
  matchText(q: SearchQuery, r: ResolvedQuery, relaxed: boolean): Candidate[] {
    const { words } = r
    const relax = relaxed && words.length > 2
    const need = relax ? words.length - 1 : words.length
    const hits = this.wordHits(words)
    const keysOf = words.map((w) => w.terms.map((t) => ` ${t} `))
    const typed = words.filter((w) => !w.corrected).map((w) => w.word)
    const exact = typed.map((w) => ` ${w} `)
    const phrase = typed.length > 1 ? ` ${typed.join(' ')} ` : undefined
    const out: Candidate[] = []
    this.procedures.forEach((p, i) => {
      const n = hits[i] ?? 0
      if (n < need || (q.scope === 'province' && !p.inProvince)) return
      let inName = 0
      let inNameOrField = 0
      for (const keys of keysOf) {
        const name = keys.some((k) => p.nameFolded.includes(k))
        if (name) inName++
        if (name || keys.some((k) => p.fieldFolded.includes(k))) inNameOrField++
      }
      const exactInName = exact.filter((k) => p.nameFolded.includes(k)).length
      const at = phrase ? p.nameFolded.indexOf(phrase) + 1 : 0
      out.push({
        p,
        keys: [-inName, -inNameOrField, relax ? -n : 0, -exactInName, 0, at > 0 ? -1 : 0, at, p.nameFolded.length, p.codeRank],
      })
    })
    return out
  }

  /** Ranks matches by the similarity of the whole query to their names (its fifth key), for a query with a word that resolved to nothing. */
  rankBySimilarity(candidates: Candidate[], similarity: ReadonlyMap<string, number>): void {
    for (const c of candidates) c.keys[4] = -(similarity.get(c.p.code) ?? 0)
  }

  /** The procedures in scope, in browsing order (built once per scope: callers do not change candidates). */
  browse(q: SearchQuery): readonly Candidate[] {
    let list = this.browsing.get(q.scope)
    if (!list) {
      list = []
      for (const [i, p] of this.procedures.entries()) if (q.scope === 'national' || p.inProvince) list.push({ p, keys: [i] })
      this.browsing.set(q.scope, list)
    }
    return list
  }

  /** Procedures of `codes` (those published and in scope) with the given keys. */
  pick(q: SearchQuery, keyed: { code: string; keys: number[] }[]): Candidate[] {
    const out: Candidate[] = []
    for (const { code, keys } of keyed) {
      const p = this.find(code)
      if (p && (q.scope === 'national' || p.inProvince)) out.push({ p, keys: [...keys, p.codeRank] })
    }
    return out
  }

  /**
   * Filters, counts and pages candidates: the total, the requested page in key order, and the
   * counts per filter value, each dimension counted with every other filter applied (so a
   * citizen sees how many results choosing that value would give), most results first.
   */
  evaluate(q: SearchQuery, candidates: readonly Candidate[]): SearchOutcome {
    const agencyRefs = q.agency === undefined ? undefined : refsMatching(q.agency)
    const counts: Record<Dim, Map<string, number>> = { field: new Map(), level: new Map(), agency: new Map(), subject: new Map(), online: new Map() }
    const add = (dim: Dim, value: string) => counts[dim].set(value, (counts[dim].get(value) ?? 0) + 1)
    const kept: Candidate[] = []
    for (const c of candidates) {
      const p = c.p
      // The filters a procedure fails, one bit each; a dimension is counted when every other
      // filter holds (none fails, or only its own).
      const fails =
        (q.field !== undefined && p.field !== q.field ? FIELD : 0) |
        (q.level !== undefined && !p.levels.includes(q.level) ? LEVEL : 0) |
        (q.subject !== undefined && !p.subjects.includes(q.subject) ? SUBJECT : 0) |
        (q.online !== undefined && p.onlineLevel !== q.online ? ONLINE : 0) |
        (agencyRefs && !p.agencyRefs.some((a) => agencyRefs.includes(a)) ? AGENCY : 0)
      if (fails & (fails - 1)) continue // two or more
      if (!fails) kept.push(c)
      if (!(fails & ~FIELD)) add('field', p.field)
      if (!(fails & ~LEVEL)) for (const v of p.distinctLevels) add('level', v)
      if (!(fails & ~SUBJECT)) for (const v of p.distinctSubjects) add('subject', v)
      if (!(fails & ~ONLINE) && p.onlineLevel !== null) add('online', p.onlineLevel)
      if (!(fails & ~AGENCY)) for (const v of p.agencyRefs) add('agency', v)
    }
    const facets: FacetRow[] = []
    // Ties by value: fields and agencies in the database's collation; the closed dimensions'
    // values are plain lower-case ASCII, ordered alike in every collation.
    const plain = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
    const order: Record<Dim, (a: string, b: string) => number> = {
      field: (a, b) => (this.fieldRank.get(a) ?? 0) - (this.fieldRank.get(b) ?? 0),
      agency: (a, b) => (this.refRank.get(a) ?? 0) - (this.refRank.get(b) ?? 0),
      level: plain,
      subject: plain,
      online: plain,
    }
    for (const dim of ['field', 'level', 'agency', 'subject', 'online'] as const) {
      const values = [...counts[dim]].sort(([a, m], [b, n]) => n - m || order[dim](a, b))
      for (const [value, n] of values) facets.push({ dim, value, n })
    }
    const sorted = kept.sort(byKeys)
    const from = (q.page - 1) * q.pageSize
    return { rows: sorted.slice(from, from + q.pageSize).map(({ p }) => row(p)), total: kept.length, facets }
  }
}

const [FIELD, LEVEL, SUBJECT, ONLINE, AGENCY] = [1, 2, 4, 8, 16]

function byKeys(a: Candidate, b: Candidate): number {
  for (let i = 0; i < a.keys.length; i++) {
    const d = (a.keys[i] ?? 0) - (b.keys[i] ?? 0)
    if (d) return d
  }
  return 0
}

function row(p: IndexedProcedure): SearchRow {
  return { code: p.code, name: p.name, field: p.field, levels: p.levels, subjects: p.subjects, onlineLevel: p.onlineLevel, inProvince: p.inProvince, currentVersion: p.currentVersion }
}
