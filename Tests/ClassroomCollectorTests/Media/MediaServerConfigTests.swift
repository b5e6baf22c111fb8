import ClassroomTestSupport
import Foundation
import Testing

/// The shipped `Deploy/media/nginx-rtmp.conf`, rendered with real values, is valid for the Debian
/// nginx and its RTMP module (`nginx -t`), and the renderer refuses bad values by name.
@Suite("media server configuration")
struct MediaServerConfigTests {
    static let deploy = MediaServerProcess.repository.appending(path: "Deploy/media")
    static let render = deploy.appending(path: "render-nginx-rtmp.sh")

    static func render(_ arguments: [String]) throws -> TestProcess.Output {
        try TestProcess.run(URL(filePath: "/bin/bash"), [render.path] + arguments)
    }

    @Test("the shipped file is a main-context snippet with placeholders, live recorded, play denied, HLS for viewers")
    func shippedTemplate() throws {
        let text = try String(contentsOf: Self.deploy.appending(path: "nginx-rtmp.conf"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("#") }
        #expect(lines.contains("listen 1935;"))
        #expect(lines.contains("record all;"))
        #expect(lines.contains("record_path /var/lib/classroomfleet/media;"))
        #expect(lines.contains("record_unique on;"))
        #expect(lines.contains("deny play all;"))
        #expect(lines.contains("deny publish all;"))
        // live, patrol and selftest: the same hooks (live also on_record_done); live and patrol push to hls; hls: short
        // fragments, fed from loopback only.
        #expect(lines.filter { $0.contains("?secret=@MEDIA_SECRET@;") }.count == 7)
        #expect(lines.contains { $0.hasPrefix("on_record_done http://127.0.0.1:8470/api/v1/media/on_record_done?") })
        #expect(lines.filter { $0 == "record all;" }.count == 1)
        #expect(lines.filter { $0 == "record off;" }.count == 3)
        #expect(lines.filter { $0 == "push rtmp://127.0.0.1:1935/hls;" }.count == 2)
        #expect(lines.filter { $0 == "deny play all;" }.count == 4)
        for application in ["live", "patrol", "selftest", "hls"] { #expect(lines.contains("application \(application) {")) }
        for line in [
            "hls on;", "hls_path /var/lib/classroomfleet/hls;", "hls_nested on;", "hls_fragment 2s;", "hls_playlist_length 8s;",
            "hls_cleanup on;",
        ] {
            #expect(lines.filter { $0 == line }.count == 1, "\(line)")
        }
        #expect(lines.contains { $0.hasPrefix("on_publish http://127.0.0.1:8470/api/v1/media/on_publish?") })
        #expect(lines.contains { $0.hasPrefix("on_publish_done http://127.0.0.1:8470/api/v1/media/on_publish_done?") })
        #expect(!lines.contains { $0.hasPrefix("http ") || $0.hasPrefix("load_module") })
    }

    @Test("rendered with loopback ports and temporary paths, nginx -t accepts it; a broken copy is refused")
    func renderedPassesNginxTest() throws {
        let dir = try TestProcess.temporaryDirectory("media-config")
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = try MediaServerProcess.freePort()
        let secret = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
        let checked = try MediaServerProcess.checkConfiguration(
            in: dir, rtmpPort: port, collector: "http://127.0.0.1:18470", secret: secret, record: true,
            httpPort: try MediaServerProcess.freePort())
        #expect(checked.status == 0, "\(checked.log)")
        #expect(checked.log.contains("test is successful"))

        let rendered = try String(contentsOf: dir.appending(path: "rtmp.conf"), encoding: .utf8)
        #expect(!rendered.contains("@"), "a placeholder is left: \(rendered)")
        #expect(rendered.contains("listen 127.0.0.1:\(port);"))
        #expect(rendered.contains("record all;") && rendered.contains("record_path \(dir.path)/record;"))
        #expect(rendered.contains("on_record_done http://127.0.0.1:18470/api/v1/media/on_record_done?secret=\(secret);"))
        #expect(rendered.contains("on_publish http://127.0.0.1:18470/api/v1/media/on_publish?secret=\(secret);"))
        #expect(rendered.contains("on_publish_done http://127.0.0.1:18470/api/v1/media/on_publish_done?secret=\(secret);"))
        #expect(rendered.contains("hls_path \(dir.path)/hls;"))
        #expect(rendered.components(separatedBy: "push rtmp://127.0.0.1:\(port)/hls;").count == 3)
        // Only `live` records; patrol, selftest and hls keep `record off`.
        let recordLines = rendered.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(recordLines.filter { $0.hasPrefix("record all;") }.count == 1)
        #expect(recordLines.filter { $0 == "record off;" }.count == 3)
        let site = try String(contentsOf: dir.appending(path: "site.conf"), encoding: .utf8)
        #expect(site.contains("alias \(dir.path)/hls/$classroomfleet_hls_file;"))
        #expect(site.contains("proxy_pass http://127.0.0.1:18470/console/media/authorize;"))
        #expect(site.contains("auth_request /_classroomfleet/media-authorize;"))

        // The same check fails on a broken snippet, so its success above means something.
        try rendered.replacingOccurrences(of: "drop_idle_publisher 15s;", with: "drop_idle_publisher fifteen;")
            .write(to: dir.appending(path: "rtmp.conf"), atomically: true, encoding: .utf8)
        let broken = try TestProcess.run(
            URL(filePath: "/usr/sbin/nginx"),
            [
                "-t", "-c", dir.appending(path: "nginx.conf").path, "-p", dir.appending(path: "tmp").path, "-e",
                dir.appending(path: "error.log").path,
            ])
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("rtmp.conf"), "\(broken.stderr)")
    }

    @Test("the production defaults record into /var/lib/classroomfleet/media; --no-record turns recording off")
    func productionDefaults() throws {
        let dir = try TestProcess.temporaryDirectory("media-render")
        defer { try? FileManager.default.removeItem(at: dir) }
        let secretFile = dir.appending(path: "media-secret")
        try "  c0ffee-Secret_1.~\n".write(to: secretFile, atomically: true, encoding: .utf8)
        let output = try Self.render(["--secret-file", secretFile.path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("listen 1935;"))
        // `live` records; `patrol`, `selftest` and `hls` never do.
        #expect(output.stdout.components(separatedBy: "record all;").count == 2)
        #expect(output.stdout.components(separatedBy: "record off;").count == 4)
        #expect(output.stdout.contains("record_path /var/lib/classroomfleet/media;"))
        #expect(output.stdout.contains("on_publish http://127.0.0.1:8470/api/v1/media/on_publish?secret=c0ffee-Secret_1.~;"))
        #expect(
            output.stdout.contains("on_record_done http://127.0.0.1:8470/api/v1/media/on_record_done?secret=c0ffee-Secret_1.~;"))
        #expect(!output.stdout.contains("@MEDIA_SECRET@"))
        let off = try Self.render(["--secret-file", secretFile.path, "--no-record"])
        #expect(off.status == 0, "\(off.stderr)")
        #expect(off.stdout.components(separatedBy: "record off;").count == 5 && !off.stdout.contains("record all;"))
        let both = try Self.render(["--secret-file", secretFile.path, "--no-record", "--record", "/srv/rec"])
        #expect(both.status != 0 && both.stderr.contains("--record and --no-record exclude each other"), "\(both.stderr)")
    }

    @Test(
        "bad values are refused by name",
        arguments: [
            (["--collector", "http://x:1"], "--secret-file is required"),
            (["--secret-file", "/nonexistent/media-secret"], "cannot read the secret file /nonexistent/media-secret"),
            (["--secret-file", "EMPTY"], "is empty"),
            (["--secret-file", "AMPERSAND"], "the secret may hold only"),
            (["--secret-file", "GOOD", "--collector", "ftp://x"], "--collector must be http://HOST:PORT"),
            (["--secret-file", "GOOD", "--listen", "port 1935"], "--listen must be PORT or HOST:PORT"),
            (["--secret-file", "GOOD", "--listen", "media.local:1935"], "--listen HOST must be an IPv4 address"),
            (["--secret-file", "GOOD", "--record", "relative/dir"], "--record must be an absolute path"),
            (["--secret-file", "GOOD", "--bogus"], "unknown argument '--bogus'"),
        ])
    func badValues(arguments: [String], message: String) throws {
        let dir = try TestProcess.temporaryDirectory("media-render-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = ["EMPTY": " \n", "AMPERSAND": "abc&play=1\n", "GOOD": "abc\n"]
        for (name, content) in files {
            try content.write(to: dir.appending(path: name), atomically: true, encoding: .utf8)
        }
        let output = try Self.render(arguments.map { files[$0] != nil ? dir.appending(path: $0).path : $0 })
        #expect(output.status != 0)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }

    static let renderSite = deploy.appending(path: "render-nginx-site.sh")

    @Test("the HTTP site renders with production defaults; bad values are refused by name")
    func siteRendering() throws {
        let defaults = try TestProcess.run(URL(filePath: "/bin/bash"), [Self.renderSite.path])
        #expect(defaults.status == 0, "\(defaults.stderr)")
        #expect(defaults.stdout.contains("listen 80;"))
        #expect(defaults.stdout.contains("alias /var/lib/classroomfleet/hls/$classroomfleet_hls_file;"))
        #expect(defaults.stdout.contains("proxy_pass http://127.0.0.1:8470;"))
        #expect(defaults.stdout.contains("application/vnd.apple.mpegurl m3u8;") && defaults.stdout.contains("video/mp2t ts;"))
        for (arguments, message) in [
            (["--collector", "ftp://x"], "--collector must be http://HOST:PORT"),
            (["--listen", "port 80"], "--listen must be PORT or HOST:PORT"),
            (["--hls", "relative/hls"], "--hls must be an absolute path"),
            (["--bogus"], "unknown argument '--bogus'"),
        ] {
            let output = try TestProcess.run(URL(filePath: "/bin/bash"), [Self.renderSite.path] + arguments)
            #expect(output.status != 0 && output.stdout.isEmpty)
            #expect(output.stderr.contains(message), "\(output.stderr)")
        }
        let dir = try TestProcess.temporaryDirectory("media-render-site")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "abc\n".write(to: dir.appending(path: "secret"), atomically: true, encoding: .utf8)
        let rtmp = try Self.render(["--secret-file", dir.appending(path: "secret").path, "--hls", "relative"])
        #expect(rtmp.status != 0 && rtmp.stderr.contains("--hls must be an absolute path"), "\(rtmp.stderr)")
    }

    @Test("the HTTP site with TLS: nginx serves HTTPS with the certificate and sends plain HTTP there")
    func siteWithTLS() throws {
        let dir = try TestProcess.temporaryDirectory("media-site-tls")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cert = dir.appending(path: "cert.pem").path
        let key = dir.appending(path: "key.pem").path
        let made = try TestProcess.run(
            URL(filePath: "/usr/bin/openssl"),
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj",
                "/CN=127.0.0.1",
            ])
        #expect(made.status == 0, "\(made.stderr)")
        let https = try MediaServerProcess.freePort()
        let http = try MediaServerProcess.freePort()
        let site = try TestProcess.run(
            URL(filePath: "/bin/bash"),
            [
                Self.renderSite.path, "--tls-cert", cert, "--tls-key", key, "--listen", "127.0.0.1:\(https)", "--redirect",
                "127.0.0.1:\(http)", "--collector", "http://127.0.0.1:9",
            ])
        #expect(site.status == 0, "\(site.stderr)")
        #expect(site.stdout.contains("listen 127.0.0.1:\(https) ssl;") && site.stdout.contains("ssl_certificate \(cert);"))
        try site.stdout.write(to: dir.appending(path: "site.conf"), atomically: true, encoding: .utf8)
        let d = dir.path
        try """
        pid \(d)/nginx.pid; error_log \(d)/error.log; daemon off;
        events {}
        http { access_log off; client_body_temp_path \(d)/body; proxy_temp_path \(d)/proxy; fastcgi_temp_path \(d)/fcgi;
          uwsgi_temp_path \(d)/uwsgi; scgi_temp_path \(d)/scgi; include \(d)/site.conf; }
        """.write(to: dir.appending(path: "nginx.conf"), atomically: true, encoding: .utf8)
        let nginx = URL(filePath: "/usr/sbin/nginx")
        let checked = try TestProcess.run(nginx, ["-t", "-p", d, "-c", "\(d)/nginx.conf"])
        #expect(checked.status == 0, "\(checked.stderr)")
        let server = Process()
        server.executableURL = nginx
        server.arguments = ["-p", d, "-c", "\(d)/nginx.conf"]
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        // Over TLS the site answers (502: no collector behind it in this test); plain HTTP is sent to HTTPS.
        var code = ""
        for _ in 0..<50 {
            code = try TestProcess.run(
                URL(filePath: "/usr/bin/curl"),
                ["-sk", "-o", "/dev/null", "-w", "%{http_code}", "https://127.0.0.1:\(https)/healthz"]
            ).stdout
            if code == "502" { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(code == "502", "HTTPS answered \(code)")
        let redirect = try TestProcess.run(
            URL(filePath: "/usr/bin/curl"),
            ["-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "http://127.0.0.1:\(http)/x?y=1"])
        #expect(redirect.stdout == "301 https://127.0.0.1:\(https)/x?y=1", "\(redirect.stdout)")
        for (arguments, message) in [
            (["--tls-cert", cert], "--tls-cert and --tls-key go together"),
            (["--tls-cert", cert, "--tls-key", d + "/missing.pem"], "--tls-key: cannot read"),
            (["--redirect", "80"], "--redirect goes with --tls-cert"),
        ] {
            let output = try TestProcess.run(URL(filePath: "/bin/bash"), [Self.renderSite.path] + arguments)
            #expect(output.status != 0 && output.stderr.contains(message), "\(output.stderr)")
        }
    }
}
