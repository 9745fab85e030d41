// Deterministic generated threads for the benchmark: ~400 characters of markdown per post, a link
// and an @mention in every post, and one post in five a reply that quotes its parent. The 40
// members are the same in every thread, so threads of several sizes can share one database.

const WORDS = (
  'the of and to in is it that for on with as was at by this be from or have an are not but ' +
  'social media access work policy employees team health system marketing trust leadership digital ' +
  'guidelines resources community question answer article success document network share value'
).split(' ');

/** A small seeded PRNG (mulberry32), so every run benchmarks the same thread. */
function random(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A thread of `count` posts (id `bench-<count>`) with its posts and members. `idPrefix` goes in
 * front of every post id (`p0`, `p1`, … by default), so that several threads can be seeded into
 * one server, whose post ids are unique across threads.
 * @param {number} count
 * @param {number} [seed]
 * @param {{ idPrefix?: string }} [options]
 */
export function generateThread(count, seed = 42, { idPrefix = '' } = {}) {
  const named = random(seed);
  const people = Array.from({ length: 40 }, (_, i) => ({
    id: `u${i}`,
    name: `Member ${i} ${['Lee', 'Moore', 'Hinmon', 'Qualls', 'Ellis', 'Chen'][Math.floor(named() * 6)]}`,
    handle: `member_${i}`,
  }));
  const rand = random(seed + count);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const sentence = () => {
    const words = Array.from({ length: 8 + Math.floor(rand() * 8) }, () => pick(WORDS));
    words[0] = words[0][0].toUpperCase() + words[0].slice(1);
    return `${words.join(' ')}.`;
  };
  const threadId = `bench-${count}`;
  const start = Date.parse('2024-01-01T00:00:00Z');
  const posts = [];
  for (let i = 0; i < count; i++) {
    const author = pick(people);
    const mention = pick(people).handle;
    let body = `@${mention} ${sentence()} ${sentence()} See [the guide](https://example.org/guide/${i}) for **details**.\n\n${sentence()} ${sentence()}`;
    while (body.length < 400) body += ` ${sentence()}`;
    const post = {
      id: `${idPrefix}p${i}`,
      threadId,
      author,
      body: body.slice(0, 440),
      createdAt: new Date(start + i * 60_000).toISOString(),
    };
    if (i > 0 && i % 5 === 0) {
      const parent = posts[Math.floor(rand() * posts.length)];
      post.parentId = parent.id;
      post.quote = {
        postId: parent.id,
        text: parent.body
          .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
          .replace(/\*\*/g, '')
          .slice(0, 160),
      };
    }
    posts.push(post);
  }
  return {
    thread: {
      id: threadId,
      title: `A generated discussion of ${count.toLocaleString('en-US')} posts`,
    },
    posts,
    users: people,
  };
}
