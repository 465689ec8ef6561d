import type { BeaconRule } from '../beacon/facts.ts';
import type { Finding } from '../types.ts';

/**
 * Phones report their screen in CSS pixels: the largest today is under 1,000 wide even in landscape
 * (a 6.9" iPhone is 440×956), and every one has a touch screen. A "phone" with a desktop's screen and
 * no touch is a desktop that only borrowed a phone's user agent. Tablets are left out: iPadOS asks for
 * desktop pages, and Android tablets span every size.
 */
const PHONE_MAX_SCREEN_EDGE = 1_100;
const DESKTOP_OS = /^(windows|mac ?os|linux|chrome ?os|ubuntu|fedora)/i;
const MOBILE_OS = /^(ios|android)/i;

export const beaconDeviceRule: BeaconRule = (facts, click) => {
  const findings: Finding[] = [];
  const claimsPhone =
    click.device === 'mobile' || (click.os !== null && MOBILE_OS.test(click.os) && click.device !== 'tablet');
  if (claimsPhone) {
    const longEdge = Math.max(facts.screenWidth, facts.screenHeight);
    const what = `${click.os ?? 'mobile'} phone`;
    if (facts.touchPoints === 0)
      findings.push({
        type: 'bot',
        message: `The user agent says ${what}, but the browser has no touch screen (${facts.screenWidth}×${facts.screenHeight} screen)`,
        score: 85,
      });
    else if (longEdge > PHONE_MAX_SCREEN_EDGE)
      findings.push({
        type: 'bot',
        message: `The user agent says ${what}, but the browser reports a ${facts.screenWidth}×${facts.screenHeight} screen`,
        score: 75,
      });
  }
  if (click.device === 'desktop' && click.os !== null && DESKTOP_OS.test(click.os) && facts.screenWidth > 0) {
    // A desktop browser's window never exceeds its screen by much; automation's default window does on a tiny virtual screen.
    if (facts.viewportWidth > facts.screenWidth * 1.5 && facts.viewportWidth - facts.screenWidth > 400)
      findings.push({
        type: 'bot',
        message: `The browser's window (${facts.viewportWidth} px wide) is far wider than its screen (${facts.screenWidth} px)`,
        score: 70,
      });
  }
  return findings;
};
