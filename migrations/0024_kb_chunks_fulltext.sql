-- Custom migration (drizzle-kit has no FULLTEXT index for MySQL): the knowledge base's search index.
-- InnoDB FULLTEXT, the same on MySQL 8 and MariaDB 10.11: words shorter than innodb_ft_min_token_size
-- (3 by default) and those of the default stopword list are not indexed; kb_chunks.terms is already
-- lowercased, stemmed and stripped of stopwords by the application (domain/knowledge/terms.ts).
CREATE FULLTEXT INDEX `kb_chunks_terms_ft` ON `kb_chunks` (`terms`);
