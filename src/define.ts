/** Registers every Parley element. Importing this module (or `index.ts`) is enough. */
import './components/quote/quote.js';
import './components/composer/composer.js';
import './components/sign-in/sign-in.js';
import './components/post/post.js';
import './components/thread/thread.js';
