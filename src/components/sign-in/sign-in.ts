import { define } from '../../internal/define.js';
import { ParleySignIn } from './sign-in.component.js';

export { ParleySignIn };

define('parley-sign-in', ParleySignIn);

declare global {
  interface HTMLElementTagNameMap {
    'parley-sign-in': ParleySignIn;
  }
}
