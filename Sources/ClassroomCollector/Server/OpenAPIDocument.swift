/// The OpenAPI 3.0 description of `/api/v1`, served at `/api/v1/openapi.yaml`.
///
/// - Important: the same text as `Deploy/openapi/collector-v1.yaml` (a test compares them); edit both.
public enum OpenAPIDocument {
    public static let yaml = """
        openapi: 3.0.3
        info:
          title: ClassroomFleet collector
          version: "1"
          description: >
            The collector's HTTP API. Agents (classroomd) send `Authorization: Bearer cfd_…` (device credential);
            operators `Bearer cfo_…` (operator token with a role: bureau_admin, bureau_viewer, school_admin, auditor, observer).
            Times are milliseconds since 1970 on the collector's clock unless named otherwise. Every non-2xx answer
            carries an APIError body. Request bodies are JSON; operator bodies refuse unknown fields.
        servers:
          - url: /
        security:
          - bearer: []
        paths:
          /healthz:
            get:
              summary: Liveness
              security: []
              responses:
                "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
          /api/v1/agent/enroll:
            post:
              summary: Exchange a school enrollment token for a device credential
              security: []
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/EnrollRequest"}
              responses:
                "201": {description: enrolled, content: {application/json: {schema: {$ref: "#/components/schemas/EnrollResponse"}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
          /api/v1/agent/events:
            post:
              summary: Upload a batch of outbox events (at most 1000); duplicates are acknowledged, not stored twice
              description: >
                Times (sent_at, at and those inside event bodies) must lie between 2000-01-01 and a day after the collector's
                clock; counts and ratios must be in range and finite. A batch with one bad number is refused whole (400 naming
                the field). 429 when the device is over its request rate or its daily upload quota.
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/EventBatch"}
              responses:
                "200": {description: stored, content: {application/json: {schema: {$ref: "#/components/schemas/EventAck"}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/TooManyRequests"}
          /api/v1/agent/commands:
            get:
              summary: Long-poll this device's pending commands
              description: >
                At most two long-polls of one device credential are held; a third answers the oldest at once with an empty list.
              parameters:
                - {name: wait, in: query, required: false, schema: {type: integer, minimum: 0, maximum: 60}}
              responses:
                "200": {description: commands, content: {application/json: {schema: {$ref: "#/components/schemas/CommandList"}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/TooManyRequests"}
          /api/v1/agent/commands/ack:
            post:
              summary: Acknowledge commands the agent has persisted
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [ids]
                      properties:
                        ids: {type: array, maxItems: 1000, items: {type: string}}
              responses:
                "200":
                  description: acknowledged
                  content:
                    application/json:
                      schema: {type: object, required: [acknowledged], properties: {acknowledged: {type: integer}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/TooManyRequests"}
          /api/v1/tokens:
            get:
              summary: List operator tokens (bureau_admin all; school_admin its school's)
              responses:
                "200":
                  description: tokens
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [tokens]
                        properties: {tokens: {type: array, items: {$ref: "#/components/schemas/Token"}}}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
            post:
              summary: Create an operator token (never above the caller's role); the secret is shown once
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [role, name]
                      properties:
                        role: {$ref: "#/components/schemas/Role"}
                        name: {type: string}
                        school_id: {type: string}
                        county: {type: string, description: "required for county_admin (a county of the registry), refused for other roles"}
                        expires_at: {type: integer, description: "when the token stops working (ms since 1970); at most ten years ahead"}
                        expires_in: {type: integer, minimum: 60, maximum: 315360000, description: "or: seconds from now"}
              responses:
                "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/Token"}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
          /api/v1/tokens/{id}:
            delete:
              summary: Revoke an operator token
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              responses:
                "204": {description: revoked}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
          /api/v1/enrollment-tokens:
            post:
              summary: Create a school-scoped enrollment token with a use limit and expiry; shown once
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [school_id, max_uses, expires_in_seconds]
                      properties:
                        school_id: {type: string}
                        max_uses: {type: integer, minimum: 1, maximum: 10000}
                        expires_in_seconds: {type: integer, minimum: 60, maximum: 31536000}
              responses:
                "201":
                  description: created
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [id, school_id, max_uses, expires_at, token]
                        properties:
                          id: {type: string}
                          school_id: {type: string}
                          max_uses: {type: integer}
                          expires_at: {type: integer}
                          token: {type: string}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
          /api/v1/devices:
            get:
              summary: List devices (a school admin sees only its school, a county_admin its county's schools)
              parameters:
                - {name: school_id, in: query, required: false, schema: {type: string}}
                - {name: offline, in: query, required: false, schema: {type: string, enum: ["true", "false", "1", "0"]}}
                - {name: outdated, in: query, required: false, description: "only agents older than the newest version any device of the county reports (dpkg order)", schema: {type: string, enum: ["true", "false", "1", "0"]}}
                - {name: county, in: query, required: false, schema: {type: string, minLength: 1, maxLength: 100}, description: "only the schools of this county of a prefecture registry (the schools.csv county value); 404 naming the counties when it has no school; a county_admin may name only its own"}
              responses:
                "200":
                  description: devices
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [devices]
                        properties: {devices: {type: array, items: {$ref: "#/components/schemas/Device"}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
          /api/v1/devices/{id}:
            get:
              summary: One device
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              responses:
                "200": {description: device, content: {application/json: {schema: {$ref: "#/components/schemas/Device"}}}}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
          /api/v1/devices/{id}/revoke:
            post:
              summary: Revoke a device credential
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              responses:
                "204": {description: revoked}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
          /api/v1/devices/{id}/rotate:
            post:
              summary: Issue a new device credential (the old one stops working); shown once
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              responses:
                "200":
                  description: rotated
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [device_id, credential]
                        properties: {device_id: {type: string}, credential: {type: string}}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
          /api/v1/devices/{id}/commands:
            post:
              summary: Queue a chime or inventory_refresh for a device; it reaches a waiting long-poll at once
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [kind]
                      properties:
                        kind: {type: string, enum: [chime, inventory_refresh]}
              responses:
                "201": {description: queued, content: {application/json: {schema: {$ref: "#/components/schemas/AgentCommand"}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
          /api/v1/audit:
            get:
              summary: The audit log, newest first (a school admin sees its school's entries, a county_admin its county's schools')
              parameters:
                - {name: limit, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 10000}}
                - {name: county, in: query, required: false, schema: {type: string, minLength: 1, maxLength: 100}, description: "only the schools of this county of a prefecture registry (the schools.csv county value); 404 naming the counties when it has no school; a county_admin may name only its own"}
              responses:
                "200":
                  description: entries
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [entries]
                        properties: {entries: {type: array, items: {$ref: "#/components/schemas/AuditEntry"}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
          /api/v1/registry:
            get:
              summary: Summary of the imported registry (a county_admin's is of its county)
              parameters:
                - {name: county, in: query, required: false, schema: {type: string, minLength: 1, maxLength: 100}, description: "only the schools of this county of a prefecture registry (the schools.csv county value); 404 naming the counties when it has no school; a county_admin may name only its own"}
              responses:
                "200": {description: summary, content: {application/json: {schema: {type: object}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
            put:
              summary: Replace the registry with four CSV files (base64 of their bytes); all or nothing
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [files]
                      properties:
                        files:
                          type: object
                          description: keys schools.csv, rooms.csv, teachers.csv, timetable.csv and optionally calendar.csv; values base64
                          additionalProperties: {type: string, format: byte}
              responses:
                "200":
                  description: imported
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [summary, replaced, warnings, encodings]
                        properties:
                          summary: {type: object}
                          replaced: {type: object}
                          warnings: {type: array, items: {$ref: "#/components/schemas/Problem"}}
                          encodings: {type: object, additionalProperties: {type: string}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}
          /api/v1/spotcheck/draws:
            post:
              summary: Draw a week's spot-check (bureau_admin); answers the commitment and counts, never names
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [week]
                      properties:
                        week: {type: string, example: 2026-W48}
                        count: {type: integer, minimum: 1, maximum: 10000}
                        beacon: {type: string, maxLength: 1024}
              responses:
                "201": {description: drawn, content: {application/json: {schema: {type: object, required: [week, commitment, orders]}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}  # no_school_day: the term calendar gives the week no school day
          /api/v1/spotcheck/weeks/{week}:
            get:
              summary: Orders of a week whose lesson has started (all after the reveal); a school admin sees its own, a county_admin its county's
              parameters:
                - {name: week, in: path, required: true, schema: {type: string}}
                - {name: county, in: query, required: false, schema: {type: string, minLength: 1, maxLength: 100}, description: "only the schools of this county of a prefecture registry (the schools.csv county value); 404 naming the counties when it has no school; a county_admin may name only its own"}
              responses:
                "200": {description: "week; no_school ({kind, reason, reason_zh}) when it is not drawn and has no school day", content: {application/json: {schema: {type: object, required: [week, drawn, revealed, orders]}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
          /api/v1/spotcheck/weeks/{week}/reveal:
            get:
              summary: The reveal document of a revealed week (docs/spotcheck-draw.md §6)
              parameters:
                - {name: week, in: path, required: true, schema: {type: string}}
              responses:
                "200": {description: reveal, content: {application/json: {schema: {type: object}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
            post:
              summary: Publish the reveal of a finished week (bureau_admin)
              parameters:
                - {name: week, in: path, required: true, schema: {type: string}}
              responses:
                "200": {description: reveal, content: {application/json: {schema: {type: object}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
          /api/v1/spotcheck/weeks/{week}/results:
            get:
              summary: Status of each visible order (conducted, partial, not_conducted, device_offline, device_fault, excused, pending)
              parameters:
                - {name: week, in: path, required: true, schema: {type: string}}
                - {name: county, in: query, required: false, schema: {type: string, minLength: 1, maxLength: 100}, description: "only the schools of this county of a prefecture registry (the schools.csv county value); 404 naming the counties when it has no school; a county_admin may name only its own"}
              responses:
                "200": {description: results, content: {application/json: {schema: {type: object, required: [week, revealed, results]}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
          /api/v1/spotcheck/weeks/{week}/notice:
            get:
              summary: The week's notice (通报) - called lessons by school, results, evaluation summary, follow-up (every role; school_admin its school, county_admin its county)
              parameters:
                - {name: week, in: path, required: true, schema: {type: string}}
                - {name: county, in: query, required: false, schema: {type: string, minLength: 1, maxLength: 100}, description: "only the schools of this county of a prefecture registry (the schools.csv county value); 404 naming the counties when it has no school; a county_admin may name only its own"}
              responses:
                "200": {description: notice, content: {application/json: {schema: {$ref: "#/components/schemas/SpotCheckNotice"}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
          /api/v1/spotcheck/now:
            post:
              summary: Call a random lesson in progress now and dispatch it at once (bureau_admin, school_admin for its school)
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      properties:
                        school_id: {type: string}
              responses:
                "201": {description: ordered, content: {application/json: {schema: {type: object, required: [id]}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}
          /api/v1/spotcheck/orders/{id}/excuse:
            post:
              summary: Excuse a called lesson (bureau_admin; the reason is audited)
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [reason]
                      properties:
                        reason: {type: string, maxLength: 500}
              responses:
                "200": {description: excused, content: {application/json: {schema: {type: object, required: [id]}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
          /api/v1/patrol:
            get:
              summary: "Patrol (巡课): rooms of your scope in a lesson now, each with its device and why it cannot be patrolled (bureau_admin, observer, school_admin for its school; not county_admin, which never sees video)"
              parameters:
                - {name: county, in: query, required: false, schema: {type: string, minLength: 1, maxLength: 100}, description: "only the schools of this county of a prefecture registry (the schools.csv county value); 404 naming the counties when it has no school; a county_admin may name only its own"}
              responses:
                "200": {description: rooms, content: {application/json: {schema: {type: object, required: [rooms]}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
            post:
              summary: "Open a patrol view of a room during its timetabled lesson, or join the room's open patrol; 422 names why not (not_in_lesson, spotcheck_active, no_device, device_offline, no_camera, no_microphone)"
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [room_id]
                      properties:
                        room_id: {type: string, minLength: 1, maxLength: 64}
              responses:
                "200": {description: joined the open patrol, content: {application/json: {schema: {type: object, required: [order, joined, watch_url]}}}}
                "201": {description: opened and dispatched, content: {application/json: {schema: {type: object, required: [order, joined, watch_url]}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}
          /api/v1/patrol/views:
            get:
              summary: Patrol views of the last 7 days from the view log (who, which room, from when to when), newest first (also a county_admin, its county's schools)
              parameters:
                - {name: county, in: query, required: false, schema: {type: string, minLength: 1, maxLength: 100}, description: "only the schools of this county of a prefecture registry (the schools.csv county value); 404 naming the counties when it has no school; a county_admin may name only its own"}
              responses:
                "200": {description: views, content: {application/json: {schema: {type: object, required: [views]}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
          /api/v1/lessons/{id}/evaluations:
            get:
              summary: A lesson's evaluations (评课) and the rubric (bureau_admin, observer; school_admin for its school; county_admin reads those of its county's lessons)
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              responses:
                "200": {description: evaluations, content: {application/json: {schema: {$ref: "#/components/schemas/LessonEvaluations"}}}}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
          /api/v1/lessons/{id}/evaluation:
            put:
              summary: Create or edit the caller's evaluation of a streamed lesson (editable for the rubric's edit_days; audited)
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [scores]
                      properties:
                        scores: {type: object, additionalProperties: {type: integer}}
                        comment: {type: string}
              responses:
                "200": {description: edited, content: {application/json: {schema: {$ref: "#/components/schemas/LessonEvaluation"}}}}
                "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/LessonEvaluation"}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
          /api/v1/observation:
            get:
              summary: Observation quotas (听课) - each principal's lessons observed in a week, the term's school coverage (not auditors; a county_admin its county's)
              parameters:
                - {name: week, in: query, required: false, schema: {type: string}}
                - {name: term_start, in: query, required: false, schema: {type: string}}
                - {name: county, in: query, required: false, schema: {type: string, minLength: 1, maxLength: 100}, description: "only the schools of this county of a prefecture registry (the schools.csv county value); 404 naming the counties when it has no school; a county_admin may name only its own"}
              responses:
                "200": {description: quotas, content: {application/json: {schema: {$ref: "#/components/schemas/ObservationQuotas"}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
          /api/v1/alerts:
            get:
              summary: Device-health alerts (docs/alerts.md), newest first; a school admin sees its own school only, a county_admin its county's schools
              description: >
                Alerts open and close themselves: one opens when its condition holds at an evaluation and closes once the
                condition has been false for the configured hold time (--alert-close-after), so a flapping device keeps one
                alert. Kinds - microphone_silent, microphone_clipping, recording_room_no_camera, recording_room_no_microphone,
                agent_offline, outbox_backlog, agent_outdated.
              parameters:
                - {name: state, in: query, required: false, description: "open (default), closed or all", schema: {type: string, enum: [open, closed, all]}}
                - {name: school, in: query, required: false, description: "one school's alerts (a school admin may name only its own)", schema: {type: string}}
                - {name: county, in: query, required: false, schema: {type: string, minLength: 1, maxLength: 100}, description: "only the schools of this county of a prefecture registry (the schools.csv county value); 404 naming the counties when it has no school; a county_admin may name only its own"}
              responses:
                "200": {description: alerts, content: {application/json: {schema: {$ref: "#/components/schemas/AlertList"}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
          /api/v1/media/on_publish:
            post:
              summary: nginx-rtmp on_publish (Deploy/media/README.md); 200 allows the stream key, 403 refuses
              security: []
              parameters:
                - {name: secret, in: query, required: true, schema: {type: string}}
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      properties:
                        name: {type: string}
                        addr: {type: string}
                        app: {type: string}
              responses:
                "200": {description: allowed, content: {text/plain: {schema: {type: string}}}}
                "400": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /api/v1/media/on_publish_done:
            post:
              summary: nginx-rtmp on_publish_done; records the end of the stream
              security: []
              parameters:
                - {name: secret, in: query, required: true, schema: {type: string}}
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      properties:
                        name: {type: string}
              responses:
                "200": {description: recorded, content: {text/plain: {schema: {type: string}}}}
                "403": {$ref: "#/components/responses/Error"}
          /api/v1/media/on_record_done:
            post:
              summary: nginx-rtmp on_record_done; stores the recorded file and queues its conversion to MP4
              description: >
                `name` is the stream name (the single-use key, or `lesson-<orderID>` after on_publish's redirect), `path` the
                FLV nginx-rtmp closed, which must lie in the collector's --recording-ingest-dir. Answered at once; the
                conversion runs in the background. 404 for a name of no order, 400 naming the field for a bad path, 409 when
                the file was reported already; nothing is stored then.
              security: []
              parameters:
                - {name: secret, in: query, required: true, schema: {type: string}}
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      properties:
                        name: {type: string}
                        path: {type: string}
              responses:
                "200": {description: stored, content: {text/plain: {schema: {type: string}}}}
                "400": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
          /api/v1/coverage:
            get:
              summary: Coverage report against a target profile (same JSON as classroomctl coverage report --format json)
              description: >
                Every operator role may read it. bureau_admin, bureau_viewer, observer and auditor get the whole county; a
                school_admin gets only its own school's row, `scope` = `school:<id>` and the county figures emptied.
                A registry of several counties (a prefecture) adds `counties` (one row per county, CV between that county's
                schools) and `prefecture` (the total, no CV); `county` limits the report to one county.
                On the verified basis indicators the collector has no evidence for are null and listed in `not_measured`.
                With `from` (and optionally `to`, default `at` or today) the answer is the trend instead: weekly points
                (the Sunday of each ISO week, the last on `to`), each computed from the evidence as of that day; the
                points carry the county's indicators, or a school_admin's own school's (with `scope`); in a prefecture
                each point also carries `counties` (each county's indicators with its CV). At most three
                years, `from` not after `to`.
              parameters:
                - {name: profile, in: query, required: true, schema: {type: string, pattern: "^[A-Za-z0-9_-]{1,100}$"},
                   description: "profile name (NAME.toml in the collector's profiles folder)"}
                - {name: basis, in: query, required: false, schema: {type: string, enum: [verified, declared]}}
                - {name: at, in: query, required: false, schema: {type: string, format: date},
                   description: "the report's day, YYYY-MM-DD in the county's time zone (default today)"}
                - {name: window_days, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 366}}
                - {name: from, in: query, required: false, schema: {type: string, format: date},
                   description: "first day of the weekly trend points, YYYY-MM-DD (turns the answer into a trend)"}
                - {name: to, in: query, required: false, schema: {type: string, format: date},
                   description: "last day of the trend points (needs from; default at, or today)"}
                - {name: county, in: query, required: false, schema: {type: string, minLength: 1, maxLength: 100},
                   description: "only this county of a prefecture registry (the schools.csv county value); 404 for a county with no school"}
              responses:
                "200":
                  description: the report, or with from/to the trend
                  content:
                    application/json:
                      schema:
                        oneOf:
                          - type: object
                            required: [profile, basis, at, window_days, county, schools]
                            properties:
                              profile: {type: string}
                              basis: {type: string, enum: [verified, declared]}
                              at: {type: string}
                              window_days: {type: integer}
                              scope: {type: string}
                              not_measured:
                                type: array
                                items: {type: object, required: [key, reason], properties: {key: {type: string}, reason: {type: string}}}
                              county:
                                type: object
                                required: [indicators]
                                properties:
                                  indicators: {type: array, items: {type: object}}
                                  townships: {$ref: "#/components/schemas/CoverageTownships"}
                              counties:
                                description: with more than one county, each county's row (its CV between its own schools)
                                type: array
                                items:
                                  type: object
                                  required: [name, indicators]
                                  properties:
                                    indicators: {type: array, items: {type: object}}
                                    townships: {$ref: "#/components/schemas/CoverageTownships"}
                              prefecture:
                                description: with more than one county, the prefecture total (CV null; county repeats it)
                                type: object
                                required: [name, indicators]
                                properties: {indicators: {type: array, items: {type: object}}}
                              schools: {type: array, items: {type: object, required: [school_id, indicators, gaps]}}
                          - type: object
                            required: [profile, basis, points]
                            properties:
                              profile: {type: string}
                              basis: {type: string, enum: [verified, declared]}
                              scope: {type: string}
                              not_measured:
                                type: array
                                items: {type: object, required: [key, reason], properties: {key: {type: string}, reason: {type: string}}}
                              points:
                                type: array
                                items:
                                  type: object
                                  required: [week, at, indicators]
                                  properties:
                                    week: {type: string}
                                    at: {type: string}
                                    indicators: {type: array, items: {type: object, required: [key, stage]}}
                                    counties:
                                      description: with more than one county (no county=), each county's indicators at this point with its own CV; indicators are then the prefecture total (CV null)
                                      type: array
                                      items:
                                        type: object
                                        required: [name, indicators]
                                        properties:
                                          name: {type: string}
                                          indicators: {type: array, items: {type: object, required: [key, stage]}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
        components:
          securitySchemes:
            bearer: {type: http, scheme: bearer}
          responses:
            Error:
              description: error
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/APIError"}
            TooManyRequests:
              description: >
                this device credential is over its request rate (token bucket) or its daily upload quota (UTC day);
                error too_many_requests, retry after the given seconds
              headers:
                Retry-After: {description: seconds to wait, schema: {type: integer, minimum: 1}}
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/APIError"}
          schemas:
            CoverageTownships:
              description: "one row per township (乡镇, the schools.csv township) of the county, in order of its first school - the county row's figures summed over the township's schools, its students, and no CV (null: the CV is a between-school figure of a county)"
              type: array
              items:
                type: object
                required: [name, schools, students, indicators, gaps]
                properties:
                  name: {type: string}
                  schools: {type: integer}
                  students: {type: integer}
                  indicators: {type: array, items: {type: object}}
                  gaps: {type: array, items: {type: object}}
            ObservationQuotas:
              type: object
              required: [week, week_start, week_end, term_start, term_end, quotas, principals, coverage]
              properties:
                week: {type: string}
                week_start: {type: string}
                week_end: {type: string}
                term_start: {type: string}
                term_end: {type: string}
                quotas: {type: object}
                principals: {type: array, items: {type: object}}
                coverage: {type: object}
            SpotCheckNotice:
              type: object
              required: [week, monday, sunday, county, issued_on, revealed, rubric, scale_min, scale_max, follow_up_below, schools, totals, evaluation, follow_up]
              properties:
                week: {type: string}
                monday: {type: string}
                sunday: {type: string}
                county: {type: string}
                issued_on: {type: string}
                revealed: {type: boolean}
                hidden: {type: integer}
                rubric: {type: array, items: {type: object}}
                scale_min: {type: integer}
                scale_max: {type: integer}
                follow_up_below: {type: number}
                schools: {type: array, items: {type: object}}
                totals: {type: object}
                evaluation: {type: object}
                follow_up: {type: array, items: {type: object}}
            LessonEvaluation:
              type: object
              required: [id, order_id, evaluator, evaluator_name, evaluator_role, teacher_id, school_id, scores, comment, created_at, updated_at, editable]
              properties:
                id: {type: integer}
                order_id: {type: string}
                evaluator: {type: string}
                evaluator_name: {type: string}
                evaluator_role: {type: string}
                teacher_id: {type: string}
                school_id: {type: string}
                scores: {type: object, additionalProperties: {type: integer}}
                comment: {type: string}
                created_at: {type: integer}
                updated_at: {type: integer}
                editable: {type: boolean}
            LessonEvaluations:
              type: object
              required: [order, evaluable, rubric, evaluations]
              properties:
                order: {type: object}
                evaluable: {type: boolean}
                rubric: {type: object}
                evaluations: {type: array, items: {$ref: "#/components/schemas/LessonEvaluation"}}
                mine: {$ref: "#/components/schemas/LessonEvaluation"}
            AlertList:
              type: object
              required: [state, alerts]
              properties:
                state: {type: string, enum: [open, closed, all]}
                alerts: {type: array, items: {$ref: "#/components/schemas/Alert"}}
            Alert:
              type: object
              required: [id, key, kind, school_id, detail, detail_zh, opened_at, last_true_at]
              properties:
                id: {type: integer}
                key: {type: string, description: "stable identity of the condition, KIND:device:ID or KIND:room:ID"}
                kind: {type: string, enum: [microphone_silent, microphone_clipping, recording_room_no_camera, recording_room_no_microphone, agent_offline, outbox_backlog, agent_outdated]}
                school_id: {type: string}
                device_id: {type: string}
                room_id: {type: string}
                detail: {type: string}
                detail_zh: {type: string}
                opened_at: {type: integer}
                last_true_at: {type: integer, description: the last evaluation that found the condition true}
                clear_since: {type: integer, description: "since when the condition has been false (the alert closes after the hold time)"}
                closed_at: {type: integer}
            APIError:
              type: object
              required: [error, message]
              properties:
                error: {type: string}
                message: {type: string}
                problems: {type: array, items: {$ref: "#/components/schemas/Problem"}}
                warnings: {type: array, items: {$ref: "#/components/schemas/Problem"}}
            Problem:
              type: object
              required: [file, line, field, message]
              properties:
                file: {type: string}
                line: {type: integer}
                field: {type: string}
                message: {type: string}
            Role: {type: string, enum: [bureau_admin, bureau_viewer, school_admin, auditor, observer, county_admin]}
            Token:
              type: object
              required: [id, name, role, created_at]
              properties:
                id: {type: string}
                name: {type: string}
                role: {$ref: "#/components/schemas/Role"}
                school_id: {type: string, nullable: true}
                county: {type: string, nullable: true, description: "the county of a county_admin token"}
                created_at: {type: integer}
                revoked_at: {type: integer, nullable: true}
                expires_at: {type: integer, nullable: true, description: "after this the token is refused (401 operator token expired)"}
                token: {type: string, description: the secret, only in the answer to a create}
            Device:
              type: object
              required: [id, school_id, hostname, agent_version, enrolled_at, revoked, online]
              properties:
                id: {type: string}
                school_id: {type: string}
                room_id: {type: string, nullable: true}
                hostname: {type: string}
                agent_version: {type: string}
                enrolled_at: {type: integer}
                last_seen_at: {type: integer, nullable: true}
                clock_skew_ms: {type: integer, nullable: true}
                revoked: {type: boolean}
                online: {type: boolean}
            AuditEntry:
              type: object
              required: [at, actor, action, target, detail]
              properties:
                at: {type: integer}
                actor: {type: string}
                action: {type: string}
                target: {type: string}
                school_id: {type: string, nullable: true}
                detail: {type: string}
            EnrollRequest:
              type: object
              additionalProperties: false
              required: [token, room_id, public_key, hostname, agent_version]
              properties:
                token: {type: string}
                room_id: {type: string}
                public_key: {type: string, description: raw 32-byte Ed25519 public key, base64}
                hostname: {type: string}
                agent_version: {type: string}
            EnrollResponse:
              type: object
              required: [device_id, credential, school_id, room_id, server_time]
              properties:
                device_id: {type: string}
                credential: {type: string}
                school_id: {type: string}
                room_id: {type: string}
                server_time: {type: integer}
            EventBatch:
              type: object
              required: [sent_at, events]
              properties:
                sent_at: {type: integer, description: the agent's clock when sending}
                events:
                  type: array
                  maxItems: 1000
                  items:
                    type: object
                    required: [seq, at, kind]
                    properties:
                      seq: {type: integer, minimum: 1}
                      at: {type: integer}
                      kind:
                        type: string
                        enum: [usage_minute, inventory_snapshot, inventory_change, heartbeat, usage_dropped, evidence, command_result]
            EventAck:
              type: object
              required: [acknowledged_through, accepted, duplicates, clock_skew_ms, server_time]
              properties:
                acknowledged_through: {type: integer}
                accepted: {type: integer}
                duplicates: {type: integer}
                clock_skew_ms: {type: integer}
                server_time: {type: integer}
            AgentCommand:
              type: object
              required: [id, kind, issued_at]
              properties:
                id: {type: string}
                kind: {type: string, enum: [spotcheck_start, spotcheck_stop, inventory_refresh, chime]}
                issued_at: {type: integer}
                spotcheck: {type: object}
                order_id: {type: string, description: "spotcheck_stop only: the order whose stream ends (absent: any)"}
            CommandList:
              type: object
              required: [commands]
              properties:
                commands: {type: array, items: {$ref: "#/components/schemas/AgentCommand"}}

        """
}
