/**
 * Networks whose addresses many people share by design: universities and school districts put a campus
 * behind a few NAT addresses, and business lines put an office behind one. Recognised by the
 * organisation name the ASN database gives them ("Rutgers, The State University", "Arizona Education
 * Network Services Corporation", "Orange Business Services SA"); tried only for networks that are not
 * hosts (a "University Hosting Services Ltd" stays a host).
 *
 * Being matched only ever makes the click-farm rule more lenient behind one address, so a broad pattern
 * costs little. About 3,100 of the ~84,000 organisations of the bundled ASN database match the
 * education words and about 670 the business ones. Offices on an ordinary broadband ASN (most small
 * ones) are not named here; the click-farm rule learns them from the address's own history instead.
 */
export const ORGANISATION_ORG_PATTERNS: readonly RegExp[] = [
  // "The University of Auckland", "Opole University", "Universidad de Chile", "Universität Wien".
  /\buniversi(ty|ties|dad|dade|tà|tat|tät|té|te)\b/i,
  // "College Station Independent School District", "SCOTT-COUNTY-SCHOOLS-NETWORK".
  /\b(college|schools?|academy|academic)\b/i,
  // "Federal State Educational Institution …", "Research and Education Network" (national NRENs).
  /\b(education|educational)\b/i,
  // "Orange Business Services SA", "Advanced Corporate Network", "HEWLETT PACKARD ENTERPRISE COMPANY".
  /\b(business|enterprise|corporate)\b/i,
];
