CREATE TABLE `leases` (
	`name` varchar(64) NOT NULL,
	`holder` varchar(36),
	`expires_at` datetime(3) NOT NULL,
	CONSTRAINT `leases_name` PRIMARY KEY(`name`)
);
--> statement-breakpoint
CREATE INDEX `leases_holder_idx` ON `leases` (`holder`);