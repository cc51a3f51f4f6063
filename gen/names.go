package gen

// region is a place people live in: its time zone, usual working hours and
// names common there.
type region struct {
	zone   string
	hours  string
	days   string
	weight int
	first  []string
	last   []string
}

var regions = []region{
	{"America/Los_Angeles", "09:00-17:00", "mon-fri", 12,
		[]string{"Emily", "Jacob", "Olivia", "Ethan", "Sofia", "Mateo", "Hannah", "Tyler", "Grace", "Lucas", "Maya", "Ryan"},
		[]string{"Johnson", "Nguyen", "Garcia", "Miller", "Chen", "Lopez", "Anderson", "Kim", "Patel", "Walker", "Reyes", "Brooks"}},
	{"America/New_York", "09:00-17:30", "mon-fri", 14,
		[]string{"Michael", "Sarah", "David", "Jessica", "Daniel", "Ashley", "James", "Lauren", "Chris", "Megan", "Marcus", "Nicole"},
		[]string{"Smith", "Williams", "Brown", "Davis", "Rodriguez", "Wilson", "Thomas", "Moore", "Jackson", "White", "Harris", "Clark"}},
	{"America/St_Johns", "08:30-16:30", "mon-fri", 3,
		[]string{"Liam", "Siobhan", "Connor", "Aoife", "Patrick", "Erin", "Sean", "Maeve"},
		[]string{"O'Brien", "Walsh", "Power", "Kavanagh", "Fitzgerald", "Murphy", "Kelly", "Dunne"}},
	{"America/Sao_Paulo", "09:00-18:00", "mon-fri", 7,
		[]string{"João", "Ana", "Pedro", "Beatriz", "Lucas", "Juliana", "Rafael", "Camila", "Gabriel", "Larissa"},
		[]string{"Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Ferreira", "Almeida", "Ribeiro", "Carvalho"}},
	{"Europe/Lisbon", "09:00-17:30", "mon-fri", 5,
		[]string{"Tiago", "Inês", "Miguel", "Mariana", "Diogo", "Catarina", "Rui", "Sofia"},
		[]string{"Fernandes", "Gonçalves", "Rodrigues", "Martins", "Lopes", "Marques", "Sousa", "Pinto"}},
	{"Europe/Berlin", "08:30-17:00", "mon-fri", 14,
		[]string{"Lukas", "Anna", "Jonas", "Lea", "Felix", "Laura", "Maximilian", "Julia", "Paul", "Marie", "Jürgen", "Zoë"},
		[]string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter"}},
	{"Africa/Lagos", "08:00-16:00", "mon-fri", 4,
		[]string{"Chinedu", "Ngozi", "Tunde", "Aisha", "Emeka", "Funmilayo", "Ibrahim", "Kemi"},
		[]string{"Okafor", "Adeyemi", "Balogun", "Eze", "Nwosu", "Abubakar", "Ogunleye", "Okonkwo"}},
	{"Asia/Kolkata", "10:00-18:30", "mon-fri", 14,
		[]string{"Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Sneha", "Aditya", "Isha", "Karthik", "Neha", "Rahul"},
		[]string{"Sharma", "Iyer", "Reddy", "Nair", "Gupta", "Menon", "Rao", "Kapoor", "Joshi", "Krishnan", "Banerjee", "Pillai"}},
	{"Asia/Singapore", "09:00-18:00", "mon-fri", 5,
		[]string{"Wei Ling", "Jun Hao", "Mei", "Darren", "Hui Min", "Ravi", "Siti", "Marcus"},
		[]string{"Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua"}},
	{"Asia/Tokyo", "10:00-19:00", "mon-fri", 6,
		[]string{"Kenji", "Yuki", "Haruto", "Sakura", "Ren", "Aoi", "Takumi", "Hina"},
		[]string{"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"}},
	{"Australia/Sydney", "08:30-17:00", "mon-fri", 6,
		[]string{"Jack", "Chloe", "Oliver", "Isla", "Noah", "Ruby", "William", "Matilda"},
		[]string{"Taylor", "Mitchell", "Campbell", "Kelly", "Thompson", "Robinson", "Hughes", "Stewart"}},
}

// external people write in threads and attend some meetings: customers,
// vendors, contractors. None is on the roster.
var externals = []struct{ name, email string }{
	{"Gina Guest", "gina@partner.example"},
	{"Tomás Ibáñez", "tomas.ibanez@cliente.example"},
	{"Zhang Wei", "zhang.wei@supplier.example"},
	{"Margot Lefèvre", "margot@agence.example"},
	{"Olamide Bello", "olamide@contractor.example"},
	{"Søren Kierkegaard-Nielsen", "soren@nordic.example"},
	{"Ayşe Yılmaz", "ayse@istanbul.example"},
	{"Björn Ólafsson", "bjorn@reykjavik.example"},
}

var words = []string{
	"the", "release", "plan", "review", "draft", "customer", "deploy", "metrics", "on-call", "incident",
	"roadmap", "design", "feedback", "sprint", "ticket", "latency", "budget", "hiring", "docs", "migration",
	"schema", "rollout", "feature", "flag", "tests", "blocked", "ship", "today", "tomorrow", "friday",
	"can", "you", "we", "should", "maybe", "I", "think", "agree", "looks", "good", "to", "me", "and", "for",
	"with", "after", "before", "sync", "async", "notes", "decision", "owner", "deadline", "question", "about",
	"is", "it", "a", "in", "of", "this", "that", "please", "thanks", "update", "dashboard", "alert", "config",
}

var topics = []string{
	"Q3 roadmap", "launch checklist", "incident follow-up", "hiring loop", "API deprecation", "pricing page",
	"data retention", "onboarding guide", "vendor contract", "latency budget", "design review", "security audit",
	"offsite agenda", "release notes", "customer escalation", "migration plan", "OKR draft", "on-call handover",
}

var projects = []string{"atlas", "beacon", "comet", "delta", "ember", "falcon", "glacier", "harbor", "ion", "juniper", "kestrel", "lumen"}
