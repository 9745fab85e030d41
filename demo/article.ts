// The article page: one comments-mode thread on the embedded backend, set up by its markup (the
// inline JSON inside it), and its count in the byline. Only the demo's theme control and the
// count's backend (the thread's own embedded one, once it has chosen it) are wired here.
import '../src/index.js';
import type { ParleyCount, ParleyThread } from '../src/index.js';
import { resetControl, themeControl } from './controls.js';

const comments = document.querySelector<ParleyThread>('#comments')!;
const count = document.querySelector<ParleyCount>('#count')!;
const adopt = () => {
  if (comments.adapter) count.adapter = comments.adapter;
  else requestAnimationFrame(adopt);
};
adopt();
themeControl([comments]);
resetControl();
