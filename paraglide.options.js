/**
 * How Paraglide JS compiles the interface's messages (messages/zh-CN.json, messages/en.json) into
 * src/lib/paraglide/: one set of options for the Vite plugin (dev and build) and for `npm run i18n`
 * (run on `npm install`, so that type checks, unit tests and the CLI find the compiled messages).
 *
 * The language is the one the person chose (a cookie set by /language), else Chinese: the office's
 * working language comes first whatever the browser prefers.
 */
/** @type {import('@inlang/paraglide-js').CompilerOptions} */
export const paraglideOptions = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	strategy: ['cookie', 'baseLocale'],
	emitReadme: false
};
