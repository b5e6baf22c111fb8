/// The OpenAPI 3.0 description of `/api/v1`, served at `/api/v1/openapi.yaml`.
///
/// - Important: kept in `Deploy/openapi/collector-v1.yaml`; this copy is checked against it by the
///   tests, so edit both.
public enum OpenAPIDocument {
    public static let yaml = """
        openapi: 3.0.3
        info:
          title: ClassroomFleet collector
          version: "1"
        paths: {}

        """
}
