// Device class, OS and browser of a User-Agent header, via ua-parser-js 1.x (MIT; 2.x is AGPL).
import UAParser from 'ua-parser-js';
import type { DeviceType } from '../detection/index.ts';

export interface Device {
  device: DeviceType;
  os: string | null;
  osVersion: string | null;
  browser: string | null;
  browserVersion: string | null;
}

/** ua-parser-js 1.x truncates longer input itself; callers may use this to bound cache keys. */
export const UA_MAX_LENGTH = 500;

// ua-parser-js only sets a device type for non-desktop hardware, so an absent type means
// "desktop" only when the OS says so; bots and libraries (no OS) become "other". Lowercase
// because distribution names are copied from the UA text as written.
const DESKTOP_OS = new Set([
  'windows',
  'mac os',
  'linux',
  'chromium os',
  'ubuntu',
  'kubuntu',
  'xubuntu',
  'lubuntu',
  'debian',
  'fedora',
  'suse',
  'opensuse',
  'gentoo',
  'arch',
  'slackware',
  'mandriva',
  'centos',
  'pclinuxos',
  'red hat',
  'redhat',
  'mint',
  'mageia',
  'deepin',
  'manjaro',
  'elementary os',
  'raspbian',
  'freebsd',
  'openbsd',
  'netbsd',
  'dragonfly',
  'solaris',
  'unix',
  'haiku',
]);

const TYPE_MAP: Readonly<Record<string, DeviceType>> = {
  mobile: 'mobile',
  tablet: 'tablet',
  smarttv: 'tv',
  console: 'console',
  wearable: 'wearable',
  embedded: 'other',
};

// One parser reused through setUA: the instance builds its method closures per construction.
const parser = new UAParser();

function orNull(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

export function parseUserAgent(ua: string): Device {
  parser.setUA(typeof ua === 'string' ? ua : '');
  const os = parser.getOS();
  const browser = parser.getBrowser();
  const type = parser.getDevice().type;
  let device: DeviceType;
  if (type !== undefined) device = TYPE_MAP[type] ?? 'other';
  else device = os.name !== undefined && DESKTOP_OS.has(os.name.toLowerCase()) ? 'desktop' : 'other';
  return {
    device,
    os: orNull(os.name),
    osVersion: orNull(os.version),
    browser: orNull(browser.name),
    browserVersion: orNull(browser.version),
  };
}
