/**
 * The discussion Parley was conceived from: "Social Media Access", a health-community thread.
 * Same people, handles, texts, quotes and order. The seed gives the first post's time
 * (Mon, Jan 28 11:03am); later times follow it in order.
 */
import type { Author, Post, Thread } from '../src/index.js';

export const THREAD_ID = 'social-media-access';

export const dalya: Author = { id: 'u-dqualls', name: 'Dalya Qualls', handle: 'dqualls' };
export const dan: Author = { id: 'u-danhinmon', name: 'Dan Hinmon', handle: 'DanHinmon' };
export const angela: Author = { id: 'u-angela', name: 'Angela Moore', handle: 'angela_k_moore' };
export const jordan: Author = { id: 'u-jellis', name: 'Jordan Ellis', handle: 'jellis' };

export const users: Author[] = [dalya, dan, angela, jordan];

export const thread: Thread = { id: THREAD_ID, title: 'Social Media Access' };

const danFirst = `Good question, Dayla @dqualls. Although we know many health systems still block employee access to social media at work, Mayo Clinic has had open access for years with great success. We've developed a document called "Making the Case for Employee Access to the Internet" that you can find in our Resources > Mayo Clinic Resources page on this site. Here's the link: https://socialmedia.mayoclinic.org/counteracting-resistance-to-employee-online-access/

There are also other interesting resources at that page that you (and other community members) may be interested in seeing, including our criteria for employees who want to start Mayo Clinic branded social media sites and Social Media Guidelines for Mayo Clinic Staff among many others.

What do you think of the "Making the Case…" document?`;

const angelaFirst =
  '@DanHinmon – This is a great article, apropos to a discussion I just had with one of my coworkers.';
const danSecond =
  '@angela_k_moore Do you have open social media access at Cassia? What challenges are you facing?';
const angelaSecond =
  '@DanHinmon I will be officially joining the Cassia team in a couple of weeks. Right now they do not allow access to social media at work. The Marketing team there is working with IT to perhaps change that. I will have more insight after the first couple of weeks.';

export const posts: Post[] = [
  {
    id: 'p1',
    threadId: THREAD_ID,
    author: dalya,
    createdAt: '2019-01-28T11:03:00-06:00',
    body: 'Does anyone have any stats/figures to show the benefits of allowing social media access at work? Currently, our company does not allow employees to access Facebook, Twitter or YouTube while at work. Any advice would be great!',
  },
  {
    id: 'p2',
    threadId: THREAD_ID,
    author: dan,
    createdAt: '2019-01-28T13:47:00-06:00',
    body: danFirst,
  },
  {
    id: 'p3',
    threadId: THREAD_ID,
    author: dalya,
    createdAt: '2019-01-28T15:12:00-06:00',
    parentId: 'p2',
    body: 'Thank you so much, Dan!',
  },
  {
    id: 'p4',
    threadId: THREAD_ID,
    author: angela,
    createdAt: '2019-01-29T09:20:00-06:00',
    quote: { postId: 'p2', text: danFirst },
    body: angelaFirst,
  },
  {
    id: 'p5',
    threadId: THREAD_ID,
    author: dan,
    createdAt: '2019-01-29T10:05:00-06:00',
    quote: { postId: 'p4', text: angelaFirst },
    body: danSecond,
  },
  {
    id: 'p6',
    threadId: THREAD_ID,
    author: angela,
    createdAt: '2019-01-29T12:31:00-06:00',
    quote: { postId: 'p5', text: danSecond },
    body: angelaSecond,
  },
  {
    id: 'p7',
    threadId: THREAD_ID,
    author: dalya,
    createdAt: '2019-01-29T14:08:00-06:00',
    body: 'Thank you Dan. This is so helpful.',
  },
  {
    id: 'p8',
    threadId: THREAD_ID,
    author: dan,
    createdAt: '2019-01-29T16:40:00-06:00',
    quote: { postId: 'p6', text: angelaSecond },
    body: "Keep us posted, Angi. We'd love to hear any success you have.",
  },
  {
    id: 'p9',
    threadId: THREAD_ID,
    author: jordan,
    createdAt: '2019-01-31T08:55:00-06:00',
    body: `Regardless, employees will be on Social Media at work via their smartphones. To me there is are two key questions:

1. Does your organization understand the power of digital scalability?
2. Does the leadership REALLY trust their employees?

If an organization can't trust and leverage their own employees to help scale their message, then who can they trust to do this?`,
  },
];

/** A second, smaller thread for the restyled example. */
export const releaseThread: Thread = {
  id: 'release-notes',
  title: 'Comments on “Parley 0.1: comments that feel native”',
};
const maya: Author = { id: 'u-maya', name: 'Maya Chen', handle: 'mayac' };
const theo: Author = { id: 'u-theo', name: 'Theo Park', handle: 'theo' };
export const releasePosts: Post[] = [
  {
    id: 'r1',
    threadId: 'release-notes',
    author: maya,
    createdAt: '2026-11-20T09:12:00Z',
    body: 'We restyled this whole block with **CSS parts and custom properties only**: no fork, no `!important`. The `::part(post-avatar)` squares are my favourite.',
  },
  {
    id: 'r2',
    threadId: 'release-notes',
    author: theo,
    createdAt: '2026-11-20T10:40:00Z',
    parentId: 'r1',
    body: '@mayac does `--parley-density` work for a compact list too? Asking for our changelog page.',
  },
  {
    id: 'r3',
    threadId: 'release-notes',
    author: maya,
    createdAt: '2026-11-20T11:02:00Z',
    quote: { postId: 'r2', text: 'does `--parley-density` work for a compact list too?' },
    body: '@theo yes, set it to `0.6` on the thread and every post tightens up.',
  },
];
export const releaseUsers: Author[] = [maya, theo];
