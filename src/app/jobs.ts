import type { FastifyBaseLogger } from 'fastify'
import type { Job } from '../shared/module.js'

/**
 * Runs each job on its own timer, never two runs of one job at once; a failing run is logged
 * and retried at the next tick. Returns a stop function that waits for running jobs.
 */
export function startJobs(jobs: Job[], log: FastifyBaseLogger): () => Promise<void> {
  const running = new Map<string, Promise<unknown>>()
  const timers = jobs.map((job) =>
    setInterval(() => {
      if (running.has(job.name)) return
      const p = job
        .run()
        .catch((err: unknown) => log.error({ err, job: job.name }, 'job failed'))
        .finally(() => running.delete(job.name))
      running.set(job.name, p)
    }, job.everyMs),
  )
  return async () => {
    for (const t of timers) clearInterval(t)
    await Promise.allSettled(running.values())
  }
}
