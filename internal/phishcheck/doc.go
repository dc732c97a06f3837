// Package phishcheck judges whether a mail or a link is phishing aimed at a
// shop's staff or customers. It has no HTTP and no database: the admin page
// and `akinai mailcheck` both call CheckMessage and CheckURL.
//
// # What is checked
//
// A mail is parsed leniently (MIME multipart up to a depth of 8 and 200
// parts, base64 and quoted-printable, ISO-2022-JP, Shift_JIS/CP932, EUC-JP
// and UTF-8 in headers and bodies, RFC 2047 encoded-words joined at byte
// level before decoding, raw JIS and 8-bit headers) and all text is
// NFKC-normalised with invisible format characters removed before matching.
// Then:
//
//   - authentication: every DKIM signature, SPF for the Return-Path and the
//     connecting IP of the trusted topmost Received field, and DMARC policy
//     discovery with relaxed or strict alignment on the organisational
//     domain (public suffix list). Without a Resolver these are listed in
//     NotChecked, unless a trusted Authentication-Results field says more;
//   - headers: more than one From, Reply-To and Return-Path in other
//     domains, display names that name another domain (also a bare domain:
//     "ec-cube.net" <x@other.jp>) or a protected brand;
//   - look-alikes of the protected domains in From, Reply-To, Return-Path,
//     display names and links: TLD swaps, homoglyphs and mixed scripts,
//     punycode, insertion, omission, transposition, substitution,
//     hyphenation, the brand as a subdomain or inside another name;
//   - links: visible text naming another domain than the href, login and
//     admin pages outside the admin origin, shorteners, IP literals,
//     user-info tricks, forms;
//   - pressure phrases in Japanese and English (password expiry, account
//     suspension, corrupted files, identity checks, urgency…);
//   - the shop's anti-phishing code in mail claiming a sending domain;
//   - rules over the whole mail (rules.go, claims.go, bec.go): the shop's
//     or the recipient's own domain in From with the sign-in elsewhere,
//     the victim's domain in a foreign link's path, forms asking for a
//     password or card data, javascript:/data: links next to a sign-in
//     request, QR-code sign-in lures, known services (DefaultServices
//     plus Config.Services) claimed by another sender, open redirects,
//     bank-detail changes, urgent payments and gift cards (stronger from
//     free mail or a look-alike of a correspondent), and the
//     corrupted-files lure, whose report carries Advice;
//   - attachments that are not what they say (an "image" that is HTML or a
//     program) or cannot be read.
//
// DNS can come from a zone file (ParseZone, LoadZone) so that a signed mail
// can be verified, and called genuine, without a network.
//
// # Scoring
//
// Every Reason has a Severity whose Weight is added to Score (capped at
// 100): info 0, low 10, medium 25, high 45, critical 100. Low lure phrases
// are the exception: 5 points a category and 15 at most, so they never
// decide a verdict alone. Then:
//
//   - phishing: any critical reason (a look-alike of a protected domain, a
//     display name or link text that names a protected domain or brand for
//     another sender or target, a protected From domain that fails
//     authentication), or a score of 70 or more;
//   - genuine: the From domain is authenticated and aligned (DKIM or SPF
//     pass aligned with From, the DMARC test, whether or not the domain
//     publishes a policy), there is exactly one From, no reason of medium
//     severity or above, and a score below 20. For CheckURL: the host
//     belongs to a protected domain and nothing is wrong with the link;
//   - suspicious: everything else, including any mail whose authentication
//     could not be checked.
//
// Reason codes are stable; the messages exist in Japanese (default) and
// English.
package phishcheck
