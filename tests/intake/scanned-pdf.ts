/**
 * A PDF as a scanner makes it: one page holding one picture and no text (a grey pattern, Flate
 * compressed), written byte by byte with its cross-reference table, so that pdf.js reads it as valid.
 */
import { deflateSync } from 'node:zlib';

export function scannedPdf(width = 200, height = 280): Buffer {
	const pixels = Buffer.alloc(width * height);
	for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = (x * 7 + y * 13) % 256 > 200 ? 0 : 255;
	const image = deflateSync(pixels);
	const content = Buffer.from(`q ${width * 2} 0 0 ${height * 2} 0 0 cm /Im1 Do Q`);
	const objects: Buffer[] = [
		Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
		Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
		Buffer.from(
			`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width * 2} ${height * 2}] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>`
		),
		Buffer.concat([Buffer.from(`<< /Length ${content.length} >>\nstream\n`), content, Buffer.from('\nendstream')]),
		Buffer.concat([
			Buffer.from(
				`<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length ${image.length} >>\nstream\n`
			),
			image,
			Buffer.from('\nendstream')
		])
	];
	const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')];
	const offsets: number[] = [];
	let at = parts[0].length;
	objects.forEach((body, i) => {
		const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
		offsets.push(at);
		parts.push(obj);
		at += obj.length;
	});
	const xref = [
		'xref',
		`0 ${objects.length + 1}`,
		'0000000000 65535 f ',
		...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `)
	].join('\n');
	parts.push(Buffer.from(`${xref}\ntrailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`));
	return Buffer.concat(parts);
}
