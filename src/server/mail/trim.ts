// What a reply says, for display: the quoted history and the signature are cut; the full message is
// kept (sealed) with the inbound email.

const QUOTE_HEADERS = [
  /^On .{1,200}wrote:\s*$/i,
  /^On .{1,200}$/i, // "On Tue, 3 Dec 2026 at 10:02, Ana" + next line "<ana@x> wrote:"
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^-{2,}\s*Forwarded message\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
  /^From: .+$/i,
  /^Le .{1,200}a écrit\s*:\s*$/i,
  /^Am .{1,200}schrieb .{0,200}:\s*$/i,
  /^El .{1,200}escribió:\s*$/i,
];

const SIGNATURE_HEADS = [/^-- ?$/, /^Sent from my .{1,40}$/i, /^Get Outlook for .{1,20}$/i];

export function trimReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed.startsWith('>')) break;
    if (SIGNATURE_HEADS.some((re) => re.test(trimmed))) break;
    const next = lines[i + 1]?.trim() ?? '';
    if (/^On .{1,200}wrote:\s*$/i.test(trimmed)) break;
    if (/^On .{1,200}$/i.test(trimmed) && /wrote:\s*$/i.test(next)) break;
    if (QUOTE_HEADERS.slice(2, 5).some((re) => re.test(trimmed))) break;
    if (
      /^From: .+$/i.test(trimmed) &&
      lines.slice(i + 1, i + 5).some((l) => /^(Sent|Date|To|Subject):/i.test(l.trim()))
    ) {
      break;
    }
    if (QUOTE_HEADERS.slice(6).some((re) => re.test(trimmed))) break;
    kept.push(line);
  }
  const out = kept.join('\n').trim();
  // A message that is all quote (a forward with no words) keeps its text rather than becoming empty.
  return out.length > 0 ? out : text.trim();
}
