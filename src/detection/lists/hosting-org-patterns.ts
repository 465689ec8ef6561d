/**
 * Hosting networks not on the curated ASN list, recognised by the organisation name the ASN
 * database gives them. Tried only when the ASN is on none of the curated lists.
 *
 * A word in a name is weak evidence, so NOT_HOSTING_ORG_PATTERNS wins over any positive match:
 * an ISP or carrier that happens to say "Cloud" or "Server" is never flagged by name. The price is
 * the odd real host that also calls itself a telecom ("Broadband Hosting B.V."); the curated ASN
 * list is the place to catch those.
 *
 * Against the ~84,000 organisations of the bundled ASN database, the positive patterns pick out
 * about 1,400 networks, nearly all hosts and datacenters, and the negative ones release ~50.
 * Deliberately absent: "dedicated" and "hosted", ordinary words in other trades ("Dedicated Freight
 * Corridor Corporation", "Telax Hosted Call Centre"); real hosts using them also say "servers" or
 * "hosting".
 */
export const HOSTING_ORG_PATTERNS: readonly RegExp[] = [
  // "Fornex Hosting S.L.", "Web Hosting, Inc.": says what it sells.
  /\bhosting\b/i,
  // "Host Europe GmbH", "Spartan Host Ltd". Not "Hostinger" or "HostRoyale" (one word; on the ASN list).
  /\bhost\b/i,
  // "Secured Servers LLC", "Server Farm LLC", French "Groupe Serveur".
  /\bserv(er|eur)s?\b/i,
  // "Yandex.Cloud LLC", "Kasi Cloud Limited". Not "Cloudflare" or "iCloud": part of a longer word.
  /\bcloud\b/i,
  // "H5 Data Centers", "Fortune Data Centres", "LuraHosting Datacenter".
  /\bdata ?cent(er|re)s?\b/i,
  // "Colocation America Corporation", "Priority Colo Inc".
  /\bcolo(cation)?\b/i,
  // "DREAM VPS LTD", "Enterprise VPS Solutions".
  /\bvps\b/i,
  // "CDN Squared Limited".
  /\bcdn\b/i,
  // "Hammy Web Services", "Asia Web Services": small hosts, mostly in South Asia.
  /\bweb ?services\b/i,
];

/** Words of access networks: any of them in the name and the name alone flags nothing. */
export const NOT_HOSTING_ORG_PATTERNS: readonly RegExp[] = [
  // Fibre ISPs ("Cloud Fiber", "Fiberax Networking&Cloud"), Portuguese and Spanish "fibra".
  /fib(er|re)|\bfibra\b/i,
  // "… Broadband": home internet.
  /broadband/i,
  // Cable TV operators; "Kabel" in German, Dutch and Polish names.
  /\bcable|kabel/i,
  // Telecom, Telekom, Telecomunicações, Telekomunikasyon, Telefónica, Telephone (no \b before: "Nettelecom").
  /tele(com|kom|fon|phon)/i,
  // "White Cloud Communications", "NTT Cloud Communications": carriers and phone companies.
  /\bcommunications?\b/i,
  // Says it is an access provider outright ("ISP Datacenter SARL", "Server ISP").
  /\binternet service provider|\bisp\b/i,
  // Mobile carriers and wireless ISPs ("Cloud 9 Wireless LLC").
  /\bmobile\b|\bwireless\b|\bcellular\b/i,
  // DSL and fibre-to-the-home access.
  /\bdsl\b|\bftt[hxbp]\b/i,
  // Says it serves homes.
  /\bresidential\b/i,
  // Rural telephone and electric co-operatives, which run much of rural America's internet.
  /\bco-?operative\b|\bco-?op\b/i,
  // Satellite internet.
  /\bsatellite\b/i,
  // Cable TV under other names.
  /\bcatv\b|\btelevision\b/i,
  // Latin American ISPs: "provedor de internet", "proveedor de internet".
  /\bprovedor|\bproveedor/i,
  // Public Wi-Fi operators: cafés, hotels, stations.
  /\bwi-?fi\b|\bhotspots?\b/i,
  // "The Cloud Networks": Sky's public Wi-Fi in the UK and Germany, people in cafés and stations.
  /^the cloud networks?\b/i,
  // "City of St. Cloud" (Minnesota; there is a St. Cloud in Florida too): a city's network.
  /\bst\.? cloud\b/i,
];
