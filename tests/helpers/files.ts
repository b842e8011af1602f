/** Files as people upload them, made here: a photo with its EXIF capture time, a PDF, Office files, and bad ones. */
import JSZip from 'jszip';
import { Document, Packer, Paragraph } from 'docx';
import { demoPicture } from '$lib/server/demo/evidence';

export const png = () => demoPicture();

/** A JPEG whose EXIF says it was taken at `taken` ("2026:11:20 14:03:22"); its picture is one grey pixel. */
export function jpegWithExif(taken: string): Buffer {
	// TIFF (little endian): IFD0 with one entry pointing at the Exif IFD, which holds DateTimeOriginal.
	const tiff = Buffer.alloc(8 + 2 + 12 + 4 + 2 + 12 + 4 + 20);
	tiff.write('II', 0, 'ascii');
	tiff.writeUInt16LE(42, 2);
	tiff.writeUInt32LE(8, 4);
	tiff.writeUInt16LE(1, 8);
	tiff.writeUInt16LE(0x8769, 10); // ExifIFDPointer
	tiff.writeUInt16LE(4, 12); // LONG
	tiff.writeUInt32LE(1, 14);
	tiff.writeUInt32LE(26, 18); // the Exif IFD starts at 26
	tiff.writeUInt32LE(0, 22);
	tiff.writeUInt16LE(1, 26);
	tiff.writeUInt16LE(0x9003, 28); // DateTimeOriginal
	tiff.writeUInt16LE(2, 30); // ASCII
	tiff.writeUInt32LE(20, 32);
	tiff.writeUInt32LE(44, 36); // the text at 44
	tiff.writeUInt32LE(0, 40);
	tiff.write(`${taken}\0`, 44, 'ascii');
	const exif = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]);
	const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([(exif.length + 2) >> 8, (exif.length + 2) & 0xff]), exif]);
	// A baseline JPEG of one grey pixel (SOI … EOI), with the APP1 segment after SOI.
	const body = Buffer.from(
		'ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9',
		'hex'
	);
	return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, body]);
}

/** A one-page PDF with a red square on it. */
export function pdf(): Buffer {
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents 4 0 R >>'
	];
	const stream = '1 0 0 rg 50 150 200 200 re f';
	objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
	let out = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((o, i) => {
		offsets.push(out.length);
		out += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = out.length;
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

export async function docx(): Promise<Buffer> {
	return Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('会议纪要')] }] }));
}

/** A .docx that unpacks to 60 MB from a few hundred kilobytes: a zip bomb. */
export async function zipBombDocx(): Promise<Buffer> {
	const zip = await JSZip.loadAsync(await docx());
	zip.file('word/media/padding.bin', Buffer.alloc(60 * 1024 * 1024));
	return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}
