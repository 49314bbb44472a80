/** The only way domain code learns the time, so deadlines can be tested. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock for tests and drills: fixed until moved. */
export class ManualClock implements Clock {
  private t: number
  constructor(start: Date | string) {
    this.t = new Date(start).getTime()
  }
  now(): Date {
    return new Date(this.t)
  }
  set(at: Date | string): void {
    this.t = new Date(at).getTime()
  }
  advance(ms: number): void {
    this.t += ms
  }
}

/** A clock that starts at a given instant and then runs at real speed (demo drills, browser tests). */
export class OffsetClock implements Clock {
  private readonly offset: number
  constructor(start: Date, real: Clock = systemClock) {
    this.offset = start.getTime() - real.now().getTime()
    this.real = real
  }
  private readonly real: Clock
  now(): Date {
    return new Date(this.real.now().getTime() + this.offset)
  }
}
