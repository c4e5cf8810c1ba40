CREATE TABLE `kb_chunks` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`source` varchar(255) NOT NULL,
	`section` varchar(500) NOT NULL,
	`text` text NOT NULL,
	`terms` text NOT NULL,
	`hash` varchar(64) NOT NULL,
	`position` int unsigned NOT NULL DEFAULT 0,
	`embedding` mediumtext,
	`embedding_model` varchar(128),
	`customer_id` bigint unsigned,
	`approved_by` bigint,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `kb_chunks_id` PRIMARY KEY(`id`),
	CONSTRAINT `kb_chunks_source_hash_uq` UNIQUE(`project_id`,`source`,`hash`)
);
--> statement-breakpoint
CREATE INDEX `kb_chunks_customer_idx` ON `kb_chunks` (`project_id`,`customer_id`);