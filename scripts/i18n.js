#!/usr/bin/env node
// `npm run i18n`: compiles the interface's messages with the options the Vite plugin uses.
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../paraglide.options.js';

await compile(paraglideOptions);
