import { define } from '../../internal/define.js';
import { ParleyCount } from './count.component.js';

export { ParleyCount };

define('parley-count', ParleyCount);

declare global {
  interface HTMLElementTagNameMap {
    'parley-count': ParleyCount;
  }
}
