-- How a message was written: as text (the plain composer, a bot) or as HTML from the toolbar
-- composer, so that editing it opens the same editor and saves through the same formatter.
ALTER TABLE messages ADD COLUMN format TEXT NOT NULL DEFAULT 'text' CHECK (format IN ('text', 'rich'));

-- Messages written before this: text never comes out of the formatter with these tags (what was
-- typed as "<div>" is stored escaped), nor with a <pre> that isn't a fenced block's <pre><code>.
UPDATE messages SET format = 'rich'
WHERE body_html GLOB '*<div>*' OR body_html GLOB '*<blockquote>*' OR body_html GLOB '*<ul>*'
   OR body_html GLOB '*<ol>*' OR body_html GLOB '*<h1>*' OR body_html GLOB '*<strong>*'
   OR body_html GLOB '*<em>*' OR body_html GLOB '*<del>*'
   OR instr(replace(body_html, '<pre><code', ''), '<pre>') > 0;
