import ClassroomControl

@main
enum Main {
    static func main() async { await Classroomctl.main() }
}
