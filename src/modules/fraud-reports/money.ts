/**
 * Money and rates in a fraud report, to the cent. Its own file so the report's types and the IP
 * exclusion list can both use it without importing each other. (stats/formulas.ts rounds with an
 * epsilon nudge; unifying the two would move figures that sit exactly on a half cent, so it is a
 * change of its own.)
 */
export const round2 = (value: number): number => Math.round(value * 100) / 100;
