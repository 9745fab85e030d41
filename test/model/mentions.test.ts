/** `@mentions`: finding them in text, who can be mentioned, and what to suggest while typing. */
import { expect } from '@open-wc/testing';
import {
  mentionQueryAt,
  mentionsIn,
  participantsOf,
  suggestMentions,
} from '../../src/model/mentions.js';
import type { Author, Post } from '../../src/model/types.js';
import { angela, dalya, dan, jordan, posts as seedPosts } from '../../demo/seed.js';

const handles = (people: readonly Author[]) => people.map((p) => p.handle);

describe('mentionsIn', () => {
  it('finds each handle once, lower-cased, in order of first appearance', () => {
    expect(mentionsIn('Thanks @DanHinmon and @dqualls, and again @danhinmon!')).to.deep.equal([
      'danhinmon',
      'dqualls',
    ]);
  });

  it('finds a mention at the start, after punctuation and across lines', () => {
    expect(mentionsIn('@ann (@bob) "@cat"\n@dee, @eve: [@fay]')).to.deep.equal([
      'ann',
      'bob',
      'cat',
      'dee',
      'eve',
      'fay',
    ]);
  });

  it('keeps dots, dashes and underscores inside a handle but not at its end', () => {
    expect(mentionsIn('@angela_k_moore, @jane.doe. and @jean-luc-')).to.deep.equal([
      'angela_k_moore',
      'jane.doe',
      'jean-luc',
    ]);
  });

  it('ignores e-mail addresses', () => {
    expect(mentionsIn('Write to dan@example.com or dalya.qualls@mayo.edu')).to.deep.equal([]);
  });

  it('ignores handles in URL paths', () => {
    expect(
      mentionsIn('See https://mastodon.social/@dan and medium.com/@dalya/post-1 or ./@cat'),
    ).to.deep.equal([]);
  });

  it('finds the mention next to a URL or an address, and only it', () => {
    expect(mentionsIn('@dan see https://example.com/@dalya, mail jo@example.com')).to.deep.equal([
      'dan',
    ]);
  });

  it('ignores an @ with no handle after it', () => {
    expect(mentionsIn('@ alone, @@double, @-dash, @.dot')).to.deep.equal([]);
  });

  it('finds the seed thread mentions', () => {
    expect(seedPosts.flatMap((p) => mentionsIn(p.body))).to.deep.equal([
      'dqualls',
      'danhinmon',
      'angela_k_moore',
      'danhinmon',
    ]);
  });
});

describe('participantsOf', () => {
  const post = (id: string, author: Author, extra: Partial<Post> = {}): Post => ({
    id,
    threadId: 't',
    author,
    body: 'x',
    createdAt: '2021-01-01T00:00:00Z',
    ...extra,
  });

  it('keys every author with a handle by the lower-cased handle', () => {
    const people = participantsOf(seedPosts);
    expect([...people.keys()]).to.deep.equal(['dqualls', 'danhinmon', 'angela_k_moore', 'jellis']);
    expect(people.get('danhinmon')).to.deep.equal(dan);
  });

  it('leaves out authors without a handle and authors of deleted posts', () => {
    const nameless: Author = { id: 'u-x', name: 'No Handle' };
    const people = participantsOf([
      post('a', nameless),
      post('b', dan, { deleted: true, body: '' }),
      post('c', dalya),
    ]);
    expect([...people.keys()]).to.deep.equal(['dqualls']);
  });

  it('keeps the author of the latest post when the same handle appears twice', () => {
    const before: Author = { id: 'u-1', name: 'Old Name', handle: 'Ann' };
    const after: Author = { id: 'u-1', name: 'New Name', handle: 'ann' };
    const people = participantsOf([post('a', before), post('b', after)]);
    expect(people.size).to.equal(1);
    expect(people.get('ann')?.name).to.equal('New Name');
  });
});

describe('mentionQueryAt', () => {
  it('returns the handle typed so far and where its @ is', () => {
    expect(mentionQueryAt('Thanks @da', 10)).to.deep.equal({ start: 7, query: 'da' });
  });

  it('returns an empty query right after a lone @', () => {
    expect(mentionQueryAt('@', 1)).to.deep.equal({ start: 0, query: '' });
    expect(mentionQueryAt('Hi @', 4)).to.deep.equal({ start: 3, query: '' });
  });

  it('reads only up to the caret', () => {
    expect(mentionQueryAt('Hi @danhinmon there', 6)).to.deep.equal({ start: 3, query: 'da' });
  });

  it('finds a mention at the start of a line and after an opening bracket', () => {
    expect(mentionQueryAt('First line\n@jo', 14)).to.deep.equal({ start: 11, query: 'jo' });
    expect(mentionQueryAt('(@an', 4)).to.deep.equal({ start: 1, query: 'an' });
  });

  it('keeps dots and dashes typed so far', () => {
    expect(mentionQueryAt('@jane.d', 7)).to.deep.equal({ start: 0, query: 'jane.d' });
  });

  it('returns null once the handle is finished by a space', () => {
    expect(mentionQueryAt('Hi @dan ', 8)).to.equal(null);
  });

  it('returns null with the caret before the @, or at the very start', () => {
    expect(mentionQueryAt('Hi @dan', 3)).to.equal(null);
    expect(mentionQueryAt('@dan', 0)).to.equal(null);
  });

  it('returns null inside an e-mail address or a URL path', () => {
    expect(mentionQueryAt('mail dan@exa', 12)).to.equal(null);
    expect(mentionQueryAt('mastodon.social/@da', 19)).to.equal(null);
  });

  it('returns null for a query longer than a handle may be', () => {
    expect(mentionQueryAt(`@${'a'.repeat(40)}`, 41)).to.deep.equal({
      start: 0,
      query: 'a'.repeat(40),
    });
    expect(mentionQueryAt(`@${'a'.repeat(41)}`, 42)).to.equal(null);
  });
});

describe('suggestMentions', () => {
  const people = [dalya, dan, angela, jordan];

  it('ranks handle prefixes first, then name-word prefixes, then other matches', () => {
    const lee3: Author = { id: '1', name: 'Zed Zed', handle: 'alee' };
    const lee2: Author = { id: '2', name: 'Kim Lee', handle: 'kim' };
    const lee1: Author = { id: '3', name: 'Roy', handle: 'leeroy' };
    const none: Author = { id: '4', name: 'Bob', handle: 'bob' };
    expect(handles(suggestMentions([lee3, lee2, none, lee1], 'lee'))).to.deep.equal([
      'leeroy',
      'kim',
      'alee',
    ]);
  });

  it('orders equally good matches by handle', () => {
    expect(handles(suggestMentions(people, 'd'))).to.deep.equal(['DanHinmon', 'dqualls', 'jellis']);
  });

  it('matches a word of the name, ignoring case', () => {
    expect(handles(suggestMentions(people, 'MOORE'))).to.deep.equal(['angela_k_moore']);
    expect(handles(suggestMentions(people, 'ell'))).to.deep.equal(['jellis']);
    expect(handles(suggestMentions(people, 'Dq'))).to.deep.equal(['dqualls']);
  });

  it('offers everyone for an empty query, up to the limit', () => {
    expect(handles(suggestMentions(people, ''))).to.deep.equal([
      'angela_k_moore',
      'DanHinmon',
      'dqualls',
      'jellis',
    ]);
    expect(handles(suggestMentions(people, '', 2))).to.deep.equal(['angela_k_moore', 'DanHinmon']);
  });

  it('never suggests someone without a handle', () => {
    const nameless: Author = { id: 'u-x', name: 'Dave Nohandle' };
    expect(suggestMentions([nameless, dan], 'da').map((p) => p.id)).to.deep.equal([dan.id]);
  });

  it('suggests nobody when nothing matches', () => {
    expect(suggestMentions(people, 'zz')).to.deep.equal([]);
  });

  it('takes the participants map a thread builds', () => {
    expect(handles(suggestMentions(participantsOf(seedPosts).values(), 'an'))).to.deep.equal([
      'angela_k_moore',
      'DanHinmon',
      'jellis',
    ]);
  });
});
