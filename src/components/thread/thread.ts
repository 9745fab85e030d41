import { define } from '../../internal/define.js';
import { ParleyThread } from './thread.component.js';

export { ParleyThread };

define('parley-thread', ParleyThread);

declare global {
  interface HTMLElementTagNameMap {
    'parley-thread': ParleyThread;
  }
}
