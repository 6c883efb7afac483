CREATE TABLE `drawing` (
	`id` text PRIMARY KEY NOT NULL,
	`scene_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`kind` text DEFAULT 'pen' NOT NULL,
	`layer` text DEFAULT 'players' NOT NULL,
	`points` text DEFAULT '' NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`color` text DEFAULT '#e03131' NOT NULL,
	`width` real DEFAULT 4 NOT NULL,
	`opacity` real DEFAULT 1 NOT NULL,
	FOREIGN KEY (`scene_id`) REFERENCES `scene`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "drawing_kind_check" CHECK("drawing"."kind" IN ('pen', 'line', 'rect', 'ellipse', 'text')),
	CONSTRAINT "drawing_layer_check" CHECK("drawing"."layer" IN ('players', 'gm')),
	CONSTRAINT "drawing_points_check" CHECK(length("drawing"."points") <= 60000),
	CONSTRAINT "drawing_text_check" CHECK(length("drawing"."text") <= 500),
	CONSTRAINT "drawing_color_check" CHECK("drawing"."color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "drawing_width_check" CHECK("drawing"."width" BETWEEN 0.5 AND 64),
	CONSTRAINT "drawing_opacity_check" CHECK("drawing"."opacity" BETWEEN 0.05 AND 1)
);

--> statement-breakpoint
CREATE INDEX `drawing_scene_idx` ON `drawing` (`scene_id`);
--> statement-breakpoint
CREATE TABLE `template` (
	`id` text PRIMARY KEY NOT NULL,
	`scene_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`shape` text DEFAULT 'circle' NOT NULL,
	`origin_x` real DEFAULT 0 NOT NULL,
	`origin_y` real DEFAULT 0 NOT NULL,
	`size` real DEFAULT 20 NOT NULL,
	`width` real DEFAULT 5 NOT NULL,
	`direction` real DEFAULT 0 NOT NULL,
	`cone_angle` text DEFAULT '53' NOT NULL,
	`color` text DEFAULT '#ff6b00' NOT NULL,
	`opacity` real DEFAULT 0.35 NOT NULL,
	`gm_only` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`scene_id`) REFERENCES `scene`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "template_shape_check" CHECK("template"."shape" IN ('circle', 'cone', 'square', 'line')),
	CONSTRAINT "template_origin_x_check" CHECK("template"."origin_x" BETWEEN -100000 AND 100000),
	CONSTRAINT "template_origin_y_check" CHECK("template"."origin_y" BETWEEN -100000 AND 100000),
	CONSTRAINT "template_size_check" CHECK("template"."size" BETWEEN 0.5 AND 10000),
	CONSTRAINT "template_width_check" CHECK("template"."width" BETWEEN 0.5 AND 1000),
	CONSTRAINT "template_direction_check" CHECK("template"."direction" BETWEEN -360 AND 360),
	CONSTRAINT "template_cone_angle_check" CHECK("template"."cone_angle" IN ('53', '90')),
	CONSTRAINT "template_color_check" CHECK("template"."color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "template_opacity_check" CHECK("template"."opacity" BETWEEN 0.05 AND 1),
	CONSTRAINT "template_gm_only_check" CHECK("template"."gm_only" IN (0, 1))
);

--> statement-breakpoint
CREATE INDEX `template_scene_idx` ON `template` (`scene_id`);