/**
 * Destination URL templates: `https://shop.example/?cid={clickid}&src={sub1}`. Macro names are
 * 1-64 of [a-z0-9_], matched case-insensitively; any other brace text is left alone, so a URL
 * that legitimately contains braces survives.
 */
const MACRO = /\{([a-z0-9_]{1,64})\}/gi;

/** Long enough for affiliate URLs stacked with parameters, short enough for every browser and log. */
export const MAX_DESTINATION_URL_LENGTH = 4096;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** encodeURIComponent throws on a lone surrogate (a cut or hostile query value); use U+FFFD instead. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(LONE_SURROGATE, '\ufffd'));
  }
}

function lookup(values: Readonly<Record<string, string | undefined>>, name: string): string {
  // hasOwn: `{constructor}` or `{__proto__}` must not pull something off Object.prototype.
  for (const key of [name, name.toLowerCase()]) {
    if (Object.hasOwn(values, key)) {
      const value = values[key];
      if (typeof value === 'string') return value;
    }
  }
  return '';
}

/**
 * Replaces every `{name}` with its URL-encoded value; unknown macros become ''. One pass: a value
 * that itself contains `{clickid}` is inserted encoded, never expanded again.
 */
export function buildDestinationUrl(template: string, values: Readonly<Record<string, string | undefined>>): string {
  return template.replace(MACRO, (_match, name: string) => encode(lookup(values, name)));
}

function withPlaceholder(template: string, placeholder: string): URL | null {
  try {
    return new URL(template.replace(MACRO, placeholder));
  } catch {
    return null;
  }
}

/**
 * Null when the template is a usable destination, else a message for the user. Macros are
 * replaced by a placeholder before parsing, so `https://x.com/?c={clickid}` is judged as a URL.
 */
export function validateDestinationTemplate(url: string): string | null {
  if (url.trim() === '') return 'Destination URL is required';
  if (url.length > MAX_DESTINATION_URL_LENGTH)
    return `Destination URL must be at most ${MAX_DESTINATION_URL_LENGTH} characters`;
  // The URL parser silently drops tabs and newlines, but the result goes into a Location header
  // where they are an error (or a header injection): refuse them instead of guessing.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(url))
    return 'Destination URL must not contain spaces or control characters; encode them (%20)';
  const parsed = withPlaceholder(url, 'macro');
  if (parsed === null) return 'Destination URL must be an absolute http or https URL';
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'Destination URL must use http or https';
  if (parsed.username !== '' || parsed.password !== '')
    return 'Destination URL must not contain a user name or password';
  // Parsing with two different placeholders tells whether a macro lands in the scheme, host or
  // port. There a visitor's own query value ({sub1}=evil.example) would pick the site the tracker
  // redirects to: an open redirect on the user's tracking domain.
  const other = withPlaceholder(url, 'other');
  if (other === null || other.protocol !== parsed.protocol || other.host !== parsed.host) {
    return 'Macros are not allowed in the scheme, host or port of the destination URL';
  }
  return null;
}
