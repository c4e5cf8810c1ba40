CREATE TABLE `translations` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`text_hash` char(64) NOT NULL,
	`source_language` varchar(16) NOT NULL,
	`target_language` varchar(16) NOT NULL,
	`translation` longtext NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `translations_id` PRIMARY KEY(`id`),
	CONSTRAINT `translations_pair_uq` UNIQUE(`project_id`,`customer_id`,`text_hash`,`source_language`,`target_language`)
);
--> statement-breakpoint
ALTER TABLE `customers` ADD `detected_language` varchar(16);--> statement-breakpoint
ALTER TABLE `customers` ADD `translation_off` boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `translations_customer_idx` ON `translations` (`project_id`,`customer_id`);