import { css } from 'lit';
import { token } from '../../styles/tokens.js';

/**
 * The styles of what a thread's interaction (`interaction.ts`) adds: the reply boxes, the
 * sign-in form and its errors, "Show N new replies" and "Back to where I was". Adopted by the
 * thread, after its own, when the interaction loads.
 */
export const interactionStyles = css`
  .incoming {
    position: sticky;
    top: ${token('space-s')};
    z-index: 1;
    display: flex;
    justify-content: center;
    margin: ${token('space-s')} 0;
  }
  .incoming .button {
    box-shadow: ${token('shadow')};
  }
  .back {
    position: sticky;
    bottom: ${token('space-m')};
    z-index: 1;
    display: flex;
    justify-content: center;
    margin-top: ${token('space-m')};
    pointer-events: none;
  }
  .back .button {
    pointer-events: auto;
    box-shadow: ${token('shadow')};
  }
  .reply-box {
    margin: 0 0 ${token('space-m')} calc(${token('avatar-size')} + ${token('space-m')});
  }
  .composer {
    margin-top: ${token('space-l')};
  }
  parley-sign-in {
    margin-top: ${token('space-s')};
  }
  @container (max-width: 30em) {
    .reply-box {
      margin-inline-start: 0;
    }
  }
`;
