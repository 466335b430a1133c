import { readdirSync, readFileSync } from 'node:fs'

/**
 * What the kernel says about a server process (Linux /proc), read from outside the process so that
 * every server under test is measured the same way, whatever it is written in.
 */

/**
 * CPU time of the whole process (every thread) in microseconds. Sums the per-thread run time of
 * /proc/<pid>/task/<tid>/schedstat (nanoseconds); falls back to utime + stime of /proc/<pid>/stat
 * (clock ticks, 10 ms resolution) where schedstat is missing. Threads that already exited are not
 * counted by schedstat; a Node process keeps its threads for its lifetime.
 */
export const cpuMicros = (pid: number): number => {
  try {
    let nanos = 0
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ')
      nanos += Number(fields[0])
    }
    return nanos / 1000
  } catch {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may contain spaces; fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    return (ticks * 1_000_000) / 100
  }
}

/** Resident set size now and its peak (VmHWM), in bytes. */
export const memory = (pid: number): { rss: number; peakRss: number } => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
  return { rss: kb('VmRSS') * 1024, peakRss: kb('VmHWM') * 1024 }
}

/** Whether the process still exists (and is not a zombie). */
export const isRunning = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

/** "Model name" of the CPU, the core count and total memory, for the report. */
export const machineInfo = (): { cpu: string; cores: number; memGiB: number; kernel: string } => {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8')
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown CPU'
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length
  const meminfo = readFileSync('/proc/meminfo', 'utf8')
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? 0)
  const kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()
  return { cpu, cores, memGiB: Math.round((memKb / 1024 / 1024) * 10) / 10, kernel }
}

/** The 1-minute load average: how busy the machine was while the benchmarks ran. */
export const loadAverage = (): number => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0])
