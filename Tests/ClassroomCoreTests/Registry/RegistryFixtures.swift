@testable import ClassroomCore

/// A small valid registry as CSV text, edited by each test to introduce one problem.
struct RegistryFixture {
    var schools = """
        school_id,name,county,township,primary_classes,primary_students,junior_classes,junior_students,high_classes,high_students
        S1,龙树九年一贯制学校,鲁甸县,龙树镇,6,240,3,150,0,0
        S2,水磨中心小学,鲁甸县,水磨镇,12,480,0,0,0,0
        S3,坪子村教学点,鲁甸县,水磨镇,1,23,,,,
        """
    var rooms = """
        room_id,school_id,name,kind,stage,class_name,declared
        R1,S1,一年级1班,classroom,primary,一年级1班,display;touch
        R2,S1,录播教室,recording,shared,,display;touch;camera;microphone;speaker;network
        R3,S2,"三年级(2)班, 东楼",classroom,primary,三年级2班,
        R4,S3,复式班,classroom,primary,复式班,display
        R5,S1,七年级1班,classroom,junior,七年级1班,
        """
    var teachers = """
        teacher_id,school_id,name,subjects
        T1,S1,张伟,语文;数学
        T2,S1,李娜,英语
        T3,S2,王芳,数学
        T4,S3,刘洋,语文、数学
        """
    var timetable = """
        school_id,room_id,teacher_id,weekday,start,end,subject
        S1,R1,T1,1,08:00,08:40,语文
        S1,R1,T2,1,08:50,09:30,英语
        S1,R2,T1,2,10:00,10:40,数学
        S2,R3,T3,3,8:00,8:40,数学
        S3,R4,T4,5,14:30,15:10,语文
        S1,R5,T2,1,08:00,08:45,英语
        """

    func files() -> [String: [UInt8]] {
        [
            "schools.csv": Array(schools.utf8), "rooms.csv": Array(rooms.utf8),
            "teachers.csv": Array(teachers.utf8), "timetable.csv": Array(timetable.utf8),
        ]
    }

    /// The problems the loader reports, as `FILE:LINE: field: message` lines.
    func problems() -> [String] {
        do {
            _ = try RegistryLoader.load(files())
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }
}
