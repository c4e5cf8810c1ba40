CREATE TABLE `conversation_ratings` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`resolution_id` bigint unsigned NOT NULL,
	`rating` tinyint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `conversation_ratings_id` PRIMARY KEY(`id`),
	CONSTRAINT `conversation_ratings_resolution_uq` UNIQUE(`resolution_id`)
);
--> statement-breakpoint
CREATE INDEX `conversation_ratings_customer_idx` ON `conversation_ratings` (`customer_id`);