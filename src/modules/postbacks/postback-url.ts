import { POSTBACK_MACROS, type PostbackMacro } from '../traffic-sources/traffic-source.enums.ts';

export type MacroValues = Partial<Record<PostbackMacro, string | number | null>>;

const MACRO = /\{([a-z0-9_]+)\}/g;
const KNOWN: ReadonlySet<string> = new Set(POSTBACK_MACROS);

/** The macros a template uses, so a decision can say which value it lacked. */
export function templateMacros(template: string): Set<string> {
  return new Set([...template.matchAll(MACRO)].map((match) => match[1] ?? ''));
}

/**
 * The template with every known macro replaced by its value, URL-encoded (encodeURIComponent: a value
 * can never add a parameter or a path segment); an absent value, or a macro the tracker does not know,
 * becomes empty rather than reaching the network as `{macro}`.
 */
export function substituteMacros(template: string, values: MacroValues): string {
  return template.replace(MACRO, (_whole, name: string) => {
    if (!KNOWN.has(name)) return '';
    const value = values[name as PostbackMacro];
    return value === null || value === undefined ? '' : encodeURIComponent(String(value));
  });
}

/** Query parameter names that carry a credential: their values are never shown. */
const SECRET_NAME = /secret|token|key|api|pass|auth|sig|hash|sid/i;

/**
 * The URL as the delivery log and the test call show it: values of parameters named like credentials
 * (`api_key`, `token`, `secret`, …) become `***`. Text, not URL objects, so everything else stays
 * byte for byte what was called.
 */
export function maskSecrets(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const hash = url.indexOf('#', query);
  const end = hash < 0 ? url.length : hash;
  const masked = url
    .slice(query + 1, end)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0) return pair;
      let name = pair.slice(0, equals);
      try {
        name = decodeURIComponent(name);
      } catch {
        // A malformed escape: judge the name as written.
      }
      return SECRET_NAME.test(name) ? `${pair.slice(0, equals)}=***` : pair;
    })
    .join('&');
  return `${url.slice(0, query + 1)}${masked}${url.slice(end)}`;
}
