/**
 * Programs that fetch URLs without being a browser a person drives, named in their own user agent.
 * isbot already flags nearly all of them; this list exists so a reason says *what* fetched the link
 * ("the python-requests HTTP library") rather than only that something automated did.
 *
 * The first matching entry wins, so more specific names come before the ones they contain.
 * Patterns are anchored or bounded where the name is a common word, so that a browser or an app
 * whose user agent merely mentions it is not taken for the program.
 */
export interface AutomationClient {
  /** Shown in reasons. */
  readonly name: string;
  readonly pattern: RegExp;
  /** Completes `User agent "…" is ___`. */
  readonly description: string;
}

function library(name: string, pattern: RegExp): AutomationClient {
  return { name, pattern, description: `the ${name} HTTP library, not a browser` };
}

function tool(name: string, pattern: RegExp, kind: string): AutomationClient {
  return { name, pattern, description: `the ${name} ${kind}, not a browser` };
}

function driven(name: string, pattern: RegExp, description: string): AutomationClient {
  return { name, pattern, description };
}

export const AUTOMATION_CLIENTS: readonly AutomationClient[] = [
  // Browsers run by a program. They send a browser's headers, so only the user agent gives them away.
  driven('HeadlessChrome', /HeadlessChrome\//, 'headless Chrome, a browser driven by a program'),
  // Edge's headless mode names itself the same way.
  driven('HeadlessEdge', /HeadlessEdg\//, 'headless Edge, a browser driven by a program'),
  driven('PhantomJS', /PhantomJS\//, 'PhantomJS, a scriptable headless browser'),
  // Not in the default user agents of either tool, but scripts that announce them exist; no browser
  // or app ships either word.
  driven('Puppeteer', /\bPuppeteer\b/i, 'Puppeteer, a browser driven by a program'),
  driven('Playwright', /\bPlaywright\b/i, 'Playwright, a browser driven by a program'),
  driven('Selenium', /\bSelenium\b/i, 'Selenium, a browser driven by a program'),

  tool('curl', /^curl\//i, 'command-line tool'),
  tool('Wget', /^Wget\//i, 'command-line tool'),
  tool('HTTPie', /^HTTPie\//i, 'command-line tool'),
  tool('PostmanRuntime', /PostmanRuntime\//, 'API testing tool'),
  tool('Scrapy', /\bScrapy\//, 'scraping framework'),

  library('python-requests', /python-requests\//i),
  library('python-urllib', /Python-urllib\//i),
  // aiohttp says "Python/3.x aiohttp/3.y": the library, not the interpreter, is the useful name.
  library('aiohttp', /\baiohttp\//i),
  library('httpx', /python-httpx\//i),
  library('Go-http-client', /Go-http-client\//),
  // okhttp is also the network stack of many Android apps, but its default user agent is only left in
  // place by code that fetches URLs on its own; an app's in-app browser says WebView ("; wv)") instead.
  library('okhttp', /^okhttp\//i),
  // Java's built-in clients: java.net.HttpURLConnection sends "Java/<version>", java.net.http "Java-http-client/<version>".
  library('Java-http-client', /^Java-http-client\//),
  library('Java', /^Java\/\d/),
  // Also the tail of LinkedInBot's user agent; the crawler rules claim LinkedInBot before this list is read.
  library('Apache-HttpClient', /Apache-HttpClient\//),
  library('node-fetch', /\bnode-fetch\b/),
  // Node's built-in fetch sends "node" (Node 18-20) or "undici"; a bare "node" is too short a word to match safely.
  library('undici', /^undici\b/),
  library('axios', /^axios\//),
  library('GuzzleHttp', /^GuzzleHttp\//),
  library('libwww-perl', /libwww-perl\//),
  // Deliberately absent: Dalvik ("Dalvik/2.1.0 (Linux; U; Android …)"), the default user agent of
  // Android's built-in URL loader. Ad SDKs in apps resolve a tapped ad's link with it before handing
  // the final address to the browser or the store, so behind it there is often a real tap. isbot
  // does not flag it either; judging it needs more than its name.
];

/** The first automation client the user agent names, or null. */
export function findAutomationClient(userAgent: string): AutomationClient | null {
  return AUTOMATION_CLIENTS.find((client) => client.pattern.test(userAgent)) ?? null;
}
