import { define } from '../../internal/define.js';
import { ParleyPost } from './post.component.js';

export { ParleyPost };

define('parley-post', ParleyPost);

declare global {
  interface HTMLElementTagNameMap {
    'parley-post': ParleyPost;
  }
}
