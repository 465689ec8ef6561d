import type { BeaconRule } from '../beacon/facts.ts';
import type { Finding } from '../types.ts';

/**
 * Automation says so itself: WebDriver-driven browsers (Selenium, Playwright, Puppeteer by default)
 * set `navigator.webdriver`, which no person's browser does. Old headless Chrome also left marks a
 * person's browser never has: no languages at all, or a screen of zero size. Perfect headers and a
 * residential address hide none of these.
 */
export const beaconAutomationRule: BeaconRule = (facts) => {
  const findings: Finding[] = [];
  if (facts.webdriver)
    findings.push({
      type: 'bot',
      message: 'Browser reports navigator.webdriver = true: it is driven by automation',
      score: 95,
    });
  if (facts.languages.length === 0)
    findings.push({
      type: 'bot',
      message: 'Browser reports no languages at all, a headless browser’s mark',
      score: 80,
    });
  if (facts.screenWidth === 0 || facts.screenHeight === 0)
    findings.push({
      type: 'bot',
      message: `Browser reports a ${facts.screenWidth}×${facts.screenHeight} screen, a headless browser’s mark`,
      score: 80,
    });
  return findings;
};
