using WaldurEmulator.Features.Events;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Customers;

/// <summary>Creates, changes and deletes customers and projects and emits their events.</summary>
internal sealed class DirectoryService(EmulatorStore store, EventPublisher events)
{
    public Customer CreateCustomer(string name, string? abbreviation, string? email, string? contactDetails, Actor? actor)
    {
        lock (store.Sync)
        {
            var customer = store.Customers.Add(new Customer
            {
                Uuid = Hex.NewUuid(), Name = name, Slug = EmulatorStore.Slug(name, store.Customers.All.Select(c => c.Slug)),
                Abbreviation = abbreviation ?? "", Email = email ?? "", ContactDetails = contactDetails ?? "",
                Created = store.Now,
            });
            events.Publish("customer_creation_succeeded", $"Customer {name} has been created.",
                EventContext.Customer(customer), actor);
            return customer;
        }
    }

    public Project CreateProject(string customerUuid, string name, string? description, DateOnly? endDate, Actor? actor)
    {
        lock (store.Sync)
        {
            var customer = store.Customers.Find(customerUuid) ?? throw ApiException.Field("customer", "Invalid hyperlink - Object does not exist.");
            var project = store.Projects.Add(new Project
            {
                Uuid = Hex.NewUuid(), Name = name, CustomerUuid = customer.Uuid, Description = description ?? "",
                EndDate = endDate, Slug = EmulatorStore.Slug(name, store.Projects.All.Select(p => p.Slug)),
                Created = store.Now,
            });
            events.Publish("project_creation_succeeded", $"Project {name} has been created.",
                EventContext.Project(store, project), actor);
            return project;
        }
    }

    public Customer UpdateCustomer(string uuid, string? name, bool? blocked, bool? archived, Actor? actor)
    {
        lock (store.Sync)
        {
            var customer = store.Customers.Get(uuid);
            if (name is not null) customer.Name = name;
            if (blocked is { } b) customer.Blocked = b;
            if (archived is { } a) customer.Archived = a;
            events.Publish("customer_update_succeeded", $"Customer {customer.Name} has been updated.", EventContext.Customer(customer), actor);
            return customer;
        }
    }

    public Project UpdateProject(string uuid, string? name, DateOnly? endDate, Actor? actor)
    {
        lock (store.Sync)
        {
            var project = store.Projects.Get(uuid);
            if (name is not null) project.Name = name;
            if (endDate is not null) project.EndDate = endDate;
            events.Publish("project_update_succeeded", $"Project {project.Name} has been updated.", EventContext.Project(store, project), actor);
            return project;
        }
    }

    /// <summary>Deletes a project (the event is built before, while the project is still there).</summary>
    public void DeleteProject(string uuid, Actor? actor)
    {
        lock (store.Sync)
        {
            var project = store.Projects.Get(uuid);
            var context = EventContext.Project(store, project);
            store.Projects.Remove(project);
            events.Publish("project_deletion_succeeded", $"Project {project.Name} has been deleted.", context, actor);
        }
    }

    public void DeleteCustomer(string uuid, Actor? actor)
    {
        lock (store.Sync)
        {
            var customer = store.Customers.Get(uuid);
            var context = EventContext.Customer(customer);
            store.Customers.Remove(customer);
            events.Publish("customer_deletion_succeeded", $"Customer {customer.Name} has been deleted.", context, actor);
        }
    }
}
