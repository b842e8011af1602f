/**
 * 佐证材料 as files (docs/domain.md, "Evidence files"): which kinds of file are accepted, by the type
 * their content shows (never their name alone), and how their sizes read. Pure rules, read by the
 * upload check on the server and by the pages.
 */

/** Accepted types: the MIME type detected from the content, and the name endings that may carry it. */
export const evidenceTypes: Record<string, { extensions: string[]; kind: 'image' | 'pdf' | 'document' }> = {
	'image/jpeg': { extensions: ['jpg', 'jpeg'], kind: 'image' },
	'image/png': { extensions: ['png'], kind: 'image' },
	'image/webp': { extensions: ['webp'], kind: 'image' },
	'image/heic': { extensions: ['heic', 'heif'], kind: 'document' },
	'application/pdf': { extensions: ['pdf'], kind: 'pdf' },
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { extensions: ['docx'], kind: 'document' },
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { extensions: ['xlsx'], kind: 'document' },
	'application/vnd.openxmlformats-officedocument.presentationml.presentation': { extensions: ['pptx'], kind: 'document' },
	// Word, Excel and PowerPoint 97–2003 files share one container format (CFB).
	'application/x-cfb': { extensions: ['doc', 'xls', 'ppt'], kind: 'document' }
};

/** The `accept` list of a file input: every name ending above. */
export const evidenceAccept = Object.values(evidenceTypes)
	.flatMap((t) => t.extensions.map((e) => `.${e}`))
	.join(',');

/** Images a browser shows: served inline as thumbnails; everything else is downloaded. */
export function isShownImage(mime: string): boolean {
	return evidenceTypes[mime]?.kind === 'image';
}

export function isPdf(mime: string): boolean {
	return mime === 'application/pdf';
}

/** 1.2 MB, 350 KB, 80 B. */
export function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
	if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
	return `${bytes} B`;
}

/** The name ending (lower case, without the dot), or ''. */
export function extensionOf(name: string): string {
	const match = /\.([A-Za-z0-9]{1,10})$/.exec(name);
	return match ? match[1].toLowerCase() : '';
}
