/**
 * Mobile carriers put thousands of subscribers behind each public IPv4 address (carrier-grade NAT)
 * and hand out IPv6 from pools shared by a region, so many people legitimately click the same ad from
 * one address or one /24 or /48. Rules that count clicks per address or subnet loosen their limits
 * for these networks.
 *
 * Being listed only ever makes detection more lenient, so an operator that carries fixed lines on
 * the same ASN (marked "mixed") is listed rather than have its phone users flagged. Each number was
 * checked against the organisation name in the bundled ASN database; several of those names do not
 * say "mobile" (Verizon Wireless appears as "Verizon Business"), which is why the list exists.
 */
export const MOBILE_CARRIER_ASNS: ReadonlyMap<number, string> = new Map([
  // United States
  [21928, 'T-Mobile US'], // T-Mobile USA, mobile only
  [6167, 'Verizon Wireless'], // Cellco Partnership
  [22394, 'Verizon Wireless'], // Cellco Partnership, second network
  [20057, 'AT&T Mobility'], // AT&T's mobile network
  // United Kingdom
  [25135, 'Vodafone UK'], // Vodafone Limited, mobile
  [12576, 'EE'], // EE Limited (formerly Orange UK / T-Mobile UK)
  [206067, 'Three UK'], // Hutchison 3G UK
  [35228, 'O2 UK'], // Telefónica UK
  // Germany
  [3320, 'Deutsche Telekom'], // mixed: Telekom's mobile subscribers share AS3320 with its DSL and fibre
  [3209, 'Vodafone Germany'], // mixed: Vodafone's mobile network and its former Arcor DSL
  [6805, 'Telefónica Germany'], // mixed: O2 Germany mobile and DSL
  // France, Spain, Italy
  [51207, 'Free Mobile'], // Free Mobile SAS, mobile only
  [3215, 'Orange France'], // mixed: Orange's mobile and fixed lines
  [5410, 'Bouygues Telecom'], // mixed: mobile and fixed
  [15557, 'SFR'], // mixed: mobile and fixed
  [3352, 'Movistar Spain'], // mixed: Telefónica de España mobile and fixed
  [12430, 'Vodafone Spain'], // mixed: mobile and fixed
  [12479, 'Orange Spain'], // mixed: mobile and fixed
  [16232, 'TIM'], // Telecom Italia's mobile network
  [30722, 'Vodafone Italy'], // Vodafone Italia, mobile
  [1267, 'WindTre'], // mixed: Wind Tre mobile and Infostrada fixed lines
  // Rest of Europe
  [12912, 'T-Mobile Poland'], // T-Mobile Polska
  [39603, 'Play'], // P4 Sp. z o.o., Poland's Play
  [16135, 'Turkcell'], // Turkcell, mobile
  [15897, 'Vodafone Turkey'], // Vodafone Telekomünikasyon, mobile
  [31133, 'MegaFon'], // PJSC MegaFon, Russia
  [8359, 'MTS'], // mixed: MTS mobile and fixed, Russia
  [3216, 'Beeline'], // mixed: PJSC Vimpelcom (Beeline) mobile and fixed, Russia
  [12958, 'T2 Russia'], // T2 Mobile (formerly Tele2 Russia)
  [15378, 'T2 Russia'], // T2 Mobile, second network
  // India and Asia-Pacific
  [55836, 'Jio'], // Reliance Jio Infocomm; mostly mobile, also JioFiber
  [45609, 'Airtel'], // Bharti Airtel's mobile network
  [55410, 'Vi'], // Vodafone Idea
  [38266, 'Vi'], // Vodafone Idea, second network
  [23693, 'Telkomsel'], // PT Telekomunikasi Selular, Indonesia
  [24203, 'XL Axiata'], // PT XL Axiata, Indonesia
  [4761, 'Indosat'], // mixed: Indosat Ooredoo, mostly mobile, Indonesia
  [132199, 'Globe'], // Globe Telecom, Philippines
  [10139, 'Smart'], // Smart Communications, Philippines
  [131445, 'AIS'], // Advanced Wireless Network, Thailand's AIS
  [24378, 'dtac'], // Total Access Communication, Thailand
  [24389, 'Grameenphone'], // Grameenphone, Bangladesh
  [45669, 'Jazz'], // Mobilink (Jazz), Pakistan
  [9808, 'China Mobile'], // China Mobile's main network
  [23720, 'Rakuten Mobile'], // Rakuten Mobile, Japan
  // Latin America
  [28403, 'Telcel'], // Radiomóvil Dipsa, Mexico's Telcel
  [26611, 'Claro Colombia'], // Comcel, Claro's mobile network in Colombia
  [26615, 'TIM Brasil'], // TIM S/A, mobile
  [26599, 'Vivo'], // mixed: Telefônica Brasil (Vivo) mobile and fixed
  [28573, 'Claro Brasil'], // mixed: Claro mobile and NET cable
  // Africa
  [33771, 'Safaricom'], // Safaricom, Kenya
  [29465, 'MTN Nigeria'], // MTN Nigeria
  [16637, 'MTN South Africa'], // MTN SA
  [36994, 'Vodacom'], // Vodacom, South Africa
]);

/**
 * Carriers the list does not know, by name. A match only loosens limits, so a fixed-wireless ISP or
 * "Cable & Wireless" caught by it costs little. Hosting networks are checked first and never count.
 */
export const MOBILE_CARRIER_ORG_PATTERN = /\b(mobile|mobility|wireless|cellular|cellco|gsm|lte|gprs)\b/i;
