import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

/** Flags that work on a machine without a display or outside network (DESIGN section 8). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * The Chromium to drive: $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else the one shipped in
 * the @sparticuz/chromium devDependency. No browser is an error that says how to get one.
 */
export const findChromium = async (): Promise<string> => {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.`)
    return fromEnv
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium'
  try {
    const sparticuz = (await import('@sparticuz/chromium')).default
    return await sparticuz.executablePath()
  } catch (error) {
    throw new Error(
      'No Chromium found for the browser tests. Set CHROMIUM_PATH to a Chromium binary, install ' +
        "Debian's `chromium` package (apt-get install chromium), or run `npm install` so that the " +
        `@sparticuz/chromium devDependency is present. (${String(error)})`,
      { cause: error },
    )
  }
}

export const launchChromium = async (): Promise<Browser> =>
  chromium.launch({ executablePath: await findChromium(), args: CHROMIUM_ARGS, headless: true })
