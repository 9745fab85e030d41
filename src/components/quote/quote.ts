import { define } from '../../internal/define.js';
import { ParleyQuote } from './quote.component.js';

export { ParleyQuote };

define('parley-quote', ParleyQuote);

declare global {
  interface HTMLElementTagNameMap {
    'parley-quote': ParleyQuote;
  }
}
