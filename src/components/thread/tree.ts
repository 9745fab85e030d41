/**
 * The thread's posts: the opening post, and each loaded window as a tree of replies with the
 * gaps between windows. Template functions, rendered in the thread's shadow root; what they show
 * comes from the thread as one `TreeView`.
 */
import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { readingMessages as messages } from '../../i18n/messages.js';
import type { Gap, Segment } from '../../model/stream.js';
import type { ThreadNode } from '../../model/threading.js';
import type { Author, Post } from '../../model/types.js';
import { renderGap, type GapView } from './gap.js';
import type { StreamView } from './layout.js';
import { COMPOSER_PARTS, POST_PARTS } from './parts.js';
// The posts it renders (registration is guarded, so importing twice is harmless); the reply box
// under a post opens only once the thread's interaction, which registers the composer, is in.
import '../post/post.js';

/** What the tree shows of the thread's state. */
export interface TreeView {
  readonly threadId: string;
  /** The loaded post a post quotes, so its quote shows at once. */
  quoted(postId: string): Post | null;
  /** The post just jumped to. */
  readonly highlighted: string | null;
  /** Posts shown while they are being sent. */
  readonly sending: ReadonlySet<string>;
  /** The post whose reply box is open. */
  readonly replyTo: string | null;
  /** The post "Back to where I was" follows. */
  readonly backAfter: string | null | undefined;
  /** "Back to where I was" (shown after `backAfter`). */
  renderBack(): unknown;
  /** What the controls of a gap show besides the gap. */
  readonly gaps: Pick<GapView, 'pageSize' | 'comments' | 'locale' | 'timeZone'>;
  /** How the posts of a gap arrive. */
  readonly loader: GapView['loader'];
}

/** One post, with the parts it re-exports. */
export function renderPost(
  v: TreeView,
  post: Post,
  extra: { variant?: 'opening'; replyingTo?: Author } = {},
) {
  return html`<parley-post
    id=${`post-${post.id}`}
    part="post"
    data-post-id=${post.id}
    exportparts=${POST_PARTS}
    variant=${extra.variant ?? 'reply'}
    .post=${post}
    .replyingTo=${extra.replyingTo ?? null}
    .quotedPost=${post.quote ? v.quoted(post.quote.postId) : null}
    ?highlighted=${v.highlighted === post.id}
    ?sending=${v.sending.has(post.id)}
  ></parley-post>`;
}

/** The opening post, and Back after it when the reader jumped to it. */
export function renderOpening(v: TreeView, opening: Post) {
  return html`<div class="opening" part="opening">${renderPost(v, opening, { variant: 'opening' })}${v.backAfter === opening.id ? v.renderBack() : nothing}</div>`;
}

/** A reply, its reply box when open, and its replies. */
function renderNode(v: TreeView, node: ThreadNode): unknown {
  const post = node.post;
  return html`<li part="reply" data-depth=${node.depth}>
    ${renderPost(v, post, { replyingTo: node.replyingTo })} ${v.backAfter === post.id ? v.renderBack() : nothing}
    ${
      v.replyTo === post.id
        ? html`<div class="reply-box" part="reply-box">
          <parley-composer
            mode="reply"
            exportparts=${COMPOSER_PARTS}
            thread-id=${v.threadId}
            label=${messages().replyLabel(post.author.name)}
            .parentId=${post.id}
          ></parley-composer>
        </div>`
        : nothing
    }
    ${
      node.children.length > 0
        ? html`<ol class="children" part="children">${repeat(
            node.children,
            (n) => n.post.id,
            (n) => renderNode(v, n),
          )}</ol>`
        : nothing
    }
  </li>`;
}

/** Each loaded window as a list of reply trees, with the gap before it, and the gap at the end. */
export function renderWindows(v: TreeView, sections: StreamView['sections'], gaps: Gap[]) {
  const gapBefore = (segment: Segment) => gaps.find((g) => g.after === segment);
  const trailing = gaps.find((g) => !g.after);
  return html`${sections.map(({ segment, layout }) => {
    const gap = gapBefore(segment);
    return html`${gap ? renderGap({ ...v.gaps, gap, loader: v.loader }) : nothing}
      ${
        layout.replies.length
          ? html`<ol class="replies" part="replies">${repeat(
              layout.replies,
              (n) => n.post.id,
              (n) => renderNode(v, n),
            )}</ol>`
          : nothing
      }`;
  })}
  ${trailing ? renderGap({ ...v.gaps, gap: trailing, loader: v.loader }) : nothing}`;
}
